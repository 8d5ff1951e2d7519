using MnistNotebooks.Initialization;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;

namespace MnistNotebooks.Tests.Layers;

public sealed class SequentialTests
{
    [Fact]
    public void NamesUnnamedLayersByKindAndPosition()
    {
        var rng = new Random(0);
        var model = new Sequential(
            new Dense(4, 3, new He(), rng),
            new Relu(),
            new Dense(3, 3, new He(), rng),
            new Relu(),
            new Dense(3, 2, new He(), rng)
        );
        Assert.Equal(["dense1", "relu1", "dense2", "relu2", "dense3"], model.Layers.Select(l => l.Name));
        Assert.Equal(["dense1.W", "dense1.b", "dense2.W", "dense2.b", "dense3.W", "dense3.b"], model.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void KeepsUserNamesAndAvoidsThem()
    {
        var rng = new Random(0);
        var model = new Sequential(new Dense(4, 3, new He(), rng), new Dense(3, 3, new He(), rng, name: "dense1"), new Sigmoid("out"));
        Assert.Equal(["dense2", "dense1", "out"], model.Layers.Select(l => l.Name));
    }

    [Fact]
    public void RejectsDuplicateNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Sequential(new Relu("a"), new Tanh("a")));
        Assert.Contains("'a'", ex.Message);
    }

    [Fact]
    public void CheckFiniteNamesTheLayerThatProducedNaN()
    {
        var rng = new Random(0);
        var model = new Sequential(new Dense(2, 2, new Constant(100), rng), new NaiveSoftmax()) { CheckFinite = true };
        var ex = Assert.Throws<NonFiniteException>(() =>
            model.Forward(
                Matrix.FromArray(
                    new float[,]
                    {
                        { 1, 1 },
                    }
                )
            )
        );
        Assert.Equal("softmax1", ex.Layer);
        Assert.Equal("forward", ex.Operation);
        Assert.Contains("softmax1", ex.Message);
    }

    [Fact]
    public void WholeModelBackwardMatchesNumericGradientOfItsDoublePath()
    {
        var rng = new Random(9);
        var model = new Sequential(
            new Dense(5, 4, new XavierUniform(), rng, new Uniform(0.1)),
            new Tanh(),
            new Dense(4, 3, new XavierUniform(), rng, new Uniform(0.1))
        );
        var loss = new SoftmaxCrossEntropy();
        Matrix x = Numeric.RandomMatrix(6, 5, rng);
        int[] labels = [0, 1, 2, 2, 1, 0];

        loss.Forward(model.Forward(x), labels);
        model.Backward(loss.Backward());

        var values = model.Parameters.ToDictionary(p => p, p => Numeric.ToDouble(p.Value.Data));
        double[] xd = Numeric.ToDouble(x.Data);
        foreach (Parameter p in model.Parameters)
        {
            double[] numeric = Numeric.Gradient(values[p], _ => loss.ForwardDouble(model.ForwardDouble(xd, 6, values), 6, labels));
            Numeric.AssertClose(numeric, p.Gradient.Data, 1e-6, 1e-4);
        }

        model.ZeroGradients();
        Assert.All(model.Parameters, p => Assert.All(p.Gradient.Data, v => Assert.Equal(0f, v)));
    }
}

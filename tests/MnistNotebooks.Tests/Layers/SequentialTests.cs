using MnistNotebooks.Initialization;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Tests.Layers;

public sealed class SequentialTests
{
    [Fact]
    public void NamesUnnamedLayersByKindAndPosition()
    {
        var rng = new RandomState(0);
        var model = new Sequential(
            new Dense(4, 3, rng, new He()),
            new Relu(),
            new Dense(3, 3, rng, new He()),
            new Relu(),
            new Dense(3, 2, rng, new He())
        );
        Assert.Equal(["dense1", "relu1", "dense2", "relu2", "dense3"], model.Layers.Select(l => l.Name));
        Assert.Equal(["dense1.W", "dense1.b", "dense2.W", "dense2.b", "dense3.W", "dense3.b"], model.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void KeepsUserNamesAndAvoidsThem()
    {
        var rng = new RandomState(0);
        var model = new Sequential(new Dense(4, 3, rng, new He()), new Dense(3, 3, rng, new He(), name: "dense1"), new Sigmoid("out"));
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
        var rng = new RandomState(0);
        var model = new Sequential(new Dense(2, 2, rng, new Constant(100)), new MnistNotebooks.Course.NaiveSoftmax<float>())
        {
            CheckFinite = true,
        };
        var ex = Assert.Throws<NonFiniteException>(() =>
            model.Forward(
                Matrix<float>.FromArray(
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
    public void WholeModelBackwardMatchesNumericGradientOfItsDoubleCopy()
    {
        var rng = new RandomState(9);
        var model = new Sequential(
            new Dense(5, 4, rng, new XavierUniform(), new Uniform(0.1)),
            new Tanh(),
            new Dense(4, 3, rng, new XavierUniform(), new Uniform(0.1))
        );
        var loss = new SoftmaxCrossEntropy();
        Matrix<float> x = Numeric.RandomMatrix(6, 5, rng);
        int[] labels = [0, 1, 2, 2, 1, 0];

        loss.Forward(model.Forward(x), labels);
        model.Backward(loss.Backward());

        Layer<double> copy = model.Convert<double>();
        var doubleLoss = new SoftmaxCrossEntropy<double>();
        Matrix<double> xd = x.Convert<double>();
        for (int t = 0; t < copy.Parameters.Count; t++)
        {
            double[] numeric = Numeric.Gradient(copy.Parameters[t].Value.Data, _ => doubleLoss.Forward(copy.Forward(xd), labels));
            Numeric.AssertClose(numeric, model.Parameters[t].Gradient.Data, 1e-6, 1e-4);
        }

        model.ZeroGradients();
        Assert.All(model.Parameters, p => Assert.All(p.Gradient.Data, v => Assert.Equal(0f, v)));
    }

    [Fact]
    public void InputGradientsAreEachLayersBackwardResult()
    {
        var rng = new RandomState(3);
        var model = new Sequential(new Dense(4, 3, rng), new Tanh(), new Dense(3, 2, rng));
        Matrix<float> x = Numeric.RandomMatrix(5, 4, rng);
        var loss = new SoftmaxCrossEntropy();
        loss.Forward(model.Forward(x), [0, 1, 0, 1, 1]);
        Matrix<float> dx = model.Backward(loss.Backward());
        Assert.Same(dx, model.InputGradients[0]);
        Assert.Equal((5, 3), (model.InputGradients[1]!.Rows, model.InputGradients[1]!.Cols));
        // The tanh's input gradient is its output gradient (the last Dense's dX) times 1 − y².
        Matrix<float> y = model.Outputs[1],
            up = model.InputGradients[2]!;
        for (int i = 0; i < y.Length; i++)
        {
            Assert.Equal(up.Data[i] * (1 - y.Data[i] * y.Data[i]), model.InputGradients[1]!.Data[i], 6);
        }
        model.BackwardParametersOnly(loss.Backward());
        Assert.Null(model.InputGradients[0]);
    }
}

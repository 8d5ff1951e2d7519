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

    [Fact]
    public void ArgumentsAreValidatedByName()
    {
        Assert.Equal("layers", Assert.Throws<ArgumentNullException>(() => new Sequential(null!)).ParamName);
        var empty = Assert.Throws<ArgumentException>(() => new Sequential());
        Assert.Equal("layers", empty.ParamName);
        Assert.Contains("at least one layer", empty.Message);
        Assert.Equal("layers", Assert.Throws<ArgumentNullException>(() => new Sequential(new Relu(), null!)).ParamName);
        var twice = Assert.Throws<ArgumentException>(() => new Sequential(new Relu("a"), new Tanh("a")));
        Assert.Equal("layers", twice.ParamName);
        Assert.StartsWith("Two layers are named 'a'; names must be unique", twice.Message);
    }

    [Fact]
    public void AutomaticNamesSkipEveryNameTheUserTook()
    {
        var model = new Sequential(new Relu(), new Relu("relu1"), new Relu("relu2"), new Relu(), new Tanh());
        Assert.Equal(["relu3", "relu1", "relu2", "relu4", "tanh1"], model.Layers.Select(l => l.Name));
        Assert.Equal("relu3: Relu → relu1: Relu → relu2: Relu → relu4: Relu → tanh1: Tanh", model.ToString());
        Assert.Equal("model", model.Name);
        Assert.Equal("sequential", model.Kind);
        // A layer already named by one model keeps its name in the next.
        var relu = new Relu();
        _ = new Sequential(new Tanh(), relu);
        // The next model's unnamed ReLU then takes relu2, since relu1 is taken.
        Assert.Equal(["relu2", "relu1"], new Sequential(new Relu(), relu).Layers.Select(l => l.Name));
        Assert.Equal("relu1", relu.Name);
        Assert.False(relu.TryAssignName("other"));
        Assert.False(new Relu("mine").TryAssignName("other"));
        var fresh = new Relu();
        Assert.True(fresh.HasAutomaticName);
        Assert.True(fresh.TryAssignName("act"));
        Assert.Equal(("act", false), (fresh.Name, fresh.HasAutomaticName));
    }

    [Fact]
    public void TrainingIsSetOnEveryLayerAndConvertKeepsModeAndChecks()
    {
        var model = new Sequential(new Dropout(0.5, 1), new Relu(), new Dropout(0.5, 2)) { CheckFinite = true };
        Assert.True(model.Training);
        model.Training = false;
        Assert.All(model.Layers, l => Assert.False(l.Training));
        Assert.False(model.Training);
        var copy = (Sequential<double>)model.Convert<double>();
        Assert.True(copy.CheckFinite);
        Assert.All(copy.Layers, l => Assert.False(l.Training));
        Assert.Equal(model.Layers.Select(l => l.Name), copy.Layers.Select(l => l.Name));
        model.Training = true;
        Assert.All(model.Layers, l => Assert.True(l.Training));
        Assert.False(new Sequential(new Relu()).Convert<double>() is Sequential<double> { CheckFinite: true });
    }

    [Fact]
    public void BackwardChainsTheLayersInReverseAndBackwardParametersOnlyMatchesIt()
    {
        // Y = relu(X·W1)·W2 by hand: X = [1, 2], W1 = [[1, −1], [1, 1]] → X·W1 = [3, 1]; W2 = [[2], [−1]] → Y = 5.
        // dY = 1: dH = dY·W2ᵀ = [2, −1], relu' = [1, 1]; dW1 = Xᵀ·dH = [[2, −1], [4, −2]]; dX = dH·W1ᵀ = [3, 1]; dW2 = [3, 1].
        Sequential<double> Build() =>
            new(
                new Dense<double>(new Matrix<double>(2, 2, [1, -1, 1, 1])),
                new Relu<double>(),
                new Dense<double>(new Matrix<double>(2, 1, [2, -1]))
            );
        var x = new Matrix<double>(1, 2, [1, 2]);
        var dy = new Matrix<double>(1, 1, [1]);
        Sequential<double> model = Build();
        Assert.Equal([5], model.Forward(x).Data);
        Assert.Equal([3, 1], model.Backward(dy).Data);
        Assert.Equal([2, -1, 4, -2], model.Parameters[0].Gradient.Data);
        Assert.Equal([3, 1], model.Parameters[1].Gradient.Data);
        Assert.Equal([2, -1], model.InputGradients[1]!.Data);
        Assert.Equal([2, -1], model.InputGradients[2]!.Data);

        Sequential<double> other = Build();
        other.Forward(x);
        other.BackwardParametersOnly(dy);
        Assert.Null(other.InputGradients[0]);
        Assert.Equal([2, -1, 4, -2], other.Parameters[0].Gradient.Data);
        Assert.Equal([3, 1], other.Parameters[1].Gradient.Data);
        Assert.Equal([2, -1], other.InputGradients[1]!.Data);

        // A first layer that is not Dense still gives its input gradient.
        var tail = new Sequential<double>(new Relu<double>(), new Dense<double>(new Matrix<double>(2, 1, [2, -1])));
        tail.Forward(new Matrix<double>(1, 2, [3, -1]));
        tail.BackwardParametersOnly(dy);
        Assert.Equal([2, 0], tail.InputGradients[0]!.Data);
        Assert.Equal([3, 0], tail.Parameters[0].Gradient.Data);
    }

    [Fact]
    public void CheckFiniteNamesTheLayerAndGradientInBackward()
    {
        // W2 = [[∞]]: the forward output is ∞ (caught in forward); with CheckFinite off, Backward's dX = dY·∞ is caught.
        Sequential<double> Build(double w2, double dx) =>
            new(
                new Dense<double>(new Matrix<double>(1, 1, [dx]), name: "first"),
                new Dense<double>(new Matrix<double>(1, 1, [w2]), name: "second")
            );
        var x = new Matrix<double>(1, 1, [1]);
        Sequential<double> model = Build(double.PositiveInfinity, 1);
        model.CheckFinite = true;
        NonFiniteException forward = Assert.Throws<NonFiniteException>(() => model.Forward(x));
        Assert.Equal(("second", "forward", 0, double.PositiveInfinity), (forward.Layer, forward.Operation, forward.Index, forward.Value));
        model.CheckFinite = false;
        Assert.Equal([double.PositiveInfinity], model.Forward(x).Data);
        model.CheckFinite = true;
        NonFiniteException backward = Assert.Throws<NonFiniteException>(() => model.Backward(new Matrix<double>(1, 1, [1])));
        Assert.Equal(("second", "backward"), (backward.Layer, backward.Operation));
        Assert.Contains("appeared in backward of 'second' (element 0)", backward.Message);

        // Gradients accumulate, so a NaN already in the first layer's dW is there after Backward: with no dX to check
        // (BackwardParametersOnly), the parameter check names it.
        Sequential<double> nan = Build(1, 1);
        nan.Forward(x);
        ((Dense<double>)nan.Layers[0]).Weights.Gradient.Data[0] = double.NaN;
        nan.CheckFinite = true;
        NonFiniteException grad = Assert.Throws<NonFiniteException>(() => nan.BackwardParametersOnly(new Matrix<double>(1, 1, [1])));
        Assert.Equal(("first", "backward (gradient of first.W)"), (grad.Layer, grad.Operation));
        Assert.True(double.IsNaN(grad.Value));
        Assert.Null(nan.InputGradients[0]);
        // Off, nothing is checked.
        nan.CheckFinite = false;
        nan.BackwardParametersOnly(new Matrix<double>(1, 1, [1]));
    }
}

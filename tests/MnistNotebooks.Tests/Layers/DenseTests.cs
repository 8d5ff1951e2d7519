using MnistNotebooks.Initialization;
using MnistNotebooks.Layers;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Tests.Layers;

public sealed class DenseTests
{
    private static Dense Make(int inputs, int outputs, int seed = 1) =>
        new(inputs, outputs, new RandomState(seed), new Uniform(0.5), new Uniform(0.5));

    [Fact]
    public void ForwardMatchesHandComputed()
    {
        var dense = new Dense(2, 2, new RandomState(0), new Zeros());
        new float[] { 1, 2, 3, 4 }.CopyTo(dense.Weights.Value.Data, 0); // W = [[1, 2], [3, 4]]
        new float[] { 0.5f, -1 }.CopyTo(dense.Bias!.Value.Data, 0);
        Matrix<float> y = dense.Forward(
            Matrix<float>.FromArray(
                new float[,]
                {
                    { 1, 1 },
                    { 2, -1 },
                }
            )
        );
        // [1, 1]·W + b = [4.5, 5]; [2, −1]·W + b = [−0.5, −1]
        Assert.Equal(new float[] { 4.5f, 5, -0.5f, -1 }, y.Data);
    }

    [Fact]
    public void BackwardMatchesHandComputed()
    {
        var dense = new Dense(2, 2, new RandomState(0), new Zeros());
        new float[] { 1, 2, 3, 4 }.CopyTo(dense.Weights.Value.Data, 0);
        var x = Matrix<float>.FromArray(
            new float[,]
            {
                { 1, 1 },
                { 2, -1 },
            }
        );
        dense.Forward(x);
        Matrix<float> dx = dense.Backward(
            Matrix<float>.FromArray(
                new float[,]
                {
                    { 1, 0 },
                    { 0, 1 },
                }
            )
        );
        Assert.Equal(new float[] { 1, 3, 2, 4 }, dx.Data); // dY·Wᵀ
        Assert.Equal(new float[] { 1, 2, 1, -1 }, dense.Weights.Gradient.Data); // Xᵀ·dY
        Assert.Equal(new float[] { 1, 1 }, dense.Bias!.Gradient.Data); // Σ_rows dY
    }

    /// <summary>L = Σ Y ⊙ G, so dL/dY = G; the reference forward below is written here, in double.</summary>
    [Fact]
    public void BackwardMatchesNumericGradientInDouble()
    {
        const int batch = 3,
            inputs = 5,
            outputs = 4;
        var rng = new RandomState(7);
        Dense dense = Make(inputs, outputs);
        Matrix<float> x = Numeric.RandomMatrix(batch, inputs, rng);
        Matrix<float> g = Numeric.RandomMatrix(batch, outputs, rng);
        double[] xd = Numeric.ToDouble(x.Data),
            w = Numeric.ToDouble(dense.Weights.Value.Data),
            b = Numeric.ToDouble(dense.Bias!.Value.Data);
        double Loss(double[] xv, double[] wv, double[] bv)
        {
            double l = 0;
            for (int r = 0; r < batch; r++)
            {
                for (int j = 0; j < outputs; j++)
                {
                    double y = bv[j];
                    for (int k = 0; k < inputs; k++)
                    {
                        y += xv[r * inputs + k] * wv[k * outputs + j];
                    }
                    l += y * g.Data[r * outputs + j];
                }
            }
            return l;
        }

        dense.Forward(x);
        Matrix<float> dx = dense.Backward(g);

        Numeric.AssertClose(Numeric.Gradient(xd, v => Loss(v, w, b)), dx.Data);
        Numeric.AssertClose(Numeric.Gradient(w, v => Loss(xd, v, b)), dense.Weights.Gradient.Data);
        Numeric.AssertClose(Numeric.Gradient(b, v => Loss(xd, w, v)), dense.Bias.Gradient.Data);
    }

    [Fact]
    public void ConvertedToDoubleAgreesWithTheFloatLayerAndOwnsItsWeights()
    {
        var rng = new RandomState(3);
        Dense dense = Make(7, 3);
        Matrix<float> x = Numeric.RandomMatrix(4, 7, rng);
        var copy = (Dense<double>)dense.Convert<double>();
        Assert.Equal(dense.Weights.Value.Data.Select(v => (double)v), copy.Weights.Value.Data);
        Numeric.AssertClose(copy.Forward(x.Convert<double>()).Data, dense.Forward(x).Data, 1e-6, 1e-6);
        copy.Weights.Value.Data[0] = 99;
        Assert.NotEqual(99f, dense.Weights.Value.Data[0]);
        Assert.Equal(dense.Name, copy.Name);
    }

    [Fact]
    public void BuiltFromMatricesUsesThemAsTheyAre()
    {
        var w = new Matrix<double>(2, 1, [10, 20]);
        var b = new Matrix<double>(1, 1, [1]);
        var dense = new Dense<double>(w, b);
        Assert.Equal([1 + 10 * 1 + 20 * 2], dense.Forward(new Matrix<double>(1, 2, [1, 2])).Data);
        Assert.Same(w, dense.Weights.Value);
        Assert.Throws<ShapeMismatchException>(() => new Dense<double>(w, new Matrix<double>(1, 2)));
    }

    [Fact]
    public void GradientsAccumulateAcrossTwoBackwardCalls()
    {
        var rng = new RandomState(5);
        Dense dense = Make(3, 2);
        Matrix<float> x = Numeric.RandomMatrix(4, 3, rng);
        Matrix<float> g = Numeric.RandomMatrix(4, 2, rng);
        dense.Forward(x);
        dense.Backward(g);
        float[] once = (float[])dense.Weights.Gradient.Data.Clone();
        float[] onceB = (float[])dense.Bias!.Gradient.Data.Clone();
        dense.Forward(x);
        dense.Backward(g);
        Assert.Equal(once.Select(v => 2 * v), dense.Weights.Gradient.Data);
        Assert.Equal(onceB.Select(v => 2 * v), dense.Bias.Gradient.Data);

        dense.ZeroGradients();
        Assert.All(dense.Weights.Gradient.Data, v => Assert.Equal(0f, v));
        Assert.All(dense.Bias.Gradient.Data, v => Assert.Equal(0f, v));
    }

    /// <summary>ZeroGradients defers the clear; the next Backward writes the gradient over what was there, and it must
    /// equal a fresh layer's bit for bit, for a batch long enough to be summed in several K-slices and on threads.</summary>
    [Theory]
    [InlineData(4, 3, 2)]
    [InlineData(600, 70, 40)]
    public void BackwardAfterZeroGradientsOverwritesStaleValuesBitForBit(int batch, int inputs, int outputs)
    {
        var rng = new RandomState(6);
        Matrix<float> x = Numeric.RandomMatrix(batch, inputs, rng);
        Matrix<float> g = Numeric.RandomMatrix(batch, outputs, rng);
        Dense fresh = Make(inputs, outputs),
            reused = Make(inputs, outputs);
        fresh.Forward(x);
        fresh.Backward(g);
        Matrix<float> held = reused.Weights.Gradient;
        held.Data.AsSpan().Fill(float.NaN);
        reused.Bias!.Gradient.Data.AsSpan().Fill(float.NaN);
        reused.ZeroGradients();
        Assert.Same(held, reused.Weights.Gradient);
        Assert.All(held.Data, v => Assert.Equal(0f, v)); // a reader before Backward sees the zeros
        held.Data.AsSpan().Fill(float.NaN);
        reused.Bias.Gradient.Data.AsSpan().Fill(float.NaN);
        reused.ZeroGradients();
        reused.Forward(x);
        reused.Backward(g);
        Assert.Equal(fresh.Weights.Gradient.Data, reused.Weights.Gradient.Data);
        Assert.Equal(fresh.Bias!.Gradient.Data, reused.Bias.Gradient.Data);
        fresh.Backward(g);
        reused.Backward(g); // the second Backward adds, as a fresh layer's does
        Assert.Equal(fresh.Weights.Gradient.Data, reused.Weights.Gradient.Data);
        Assert.Equal(fresh.Bias.Gradient.Data, reused.Bias.Gradient.Data);
    }

    [Fact]
    public void ShapeErrorSaysExpectedAndFound()
    {
        Dense dense = Make(784, 10);
        var ex = Assert.Throws<ShapeMismatchException>(() => dense.Forward(new Matrix<float>(32, 783)));
        Assert.StartsWith("Expected input (batch, 784) but got (32, 783)", ex.Message);

        dense.Forward(new Matrix<float>(32, 784));
        var ex2 = Assert.Throws<ShapeMismatchException>(() => dense.Backward(new Matrix<float>(32, 9)));
        Assert.StartsWith("Expected outputGradient (32, 10) but got (32, 9)", ex2.Message);
    }

    [Fact]
    public void BackwardBeforeForwardThrows()
    {
        Assert.Throws<InvalidOperationException>(() => Make(2, 2).Backward(new Matrix<float>(1, 2)));
    }

    [Fact]
    public void BuffersAreReusedPerBatchSize()
    {
        Dense dense = Make(3, 2);
        Matrix<float> y8 = dense.Forward(new Matrix<float>(8, 3));
        Matrix<float> dx8 = dense.Backward(new Matrix<float>(8, 2));
        Matrix<float> y4 = dense.Forward(new Matrix<float>(4, 3));
        Assert.NotSame(y8, y4);
        Assert.Same(y8, dense.Forward(new Matrix<float>(8, 3)));
        Assert.Same(dx8, dense.Backward(new Matrix<float>(8, 2)));
    }

    [Fact]
    public void WithoutBiasHasOnlyWeights()
    {
        var dense = new Dense(3, 2, new RandomState(0), new Constant(1), useBias: false);
        Assert.Null(dense.Bias);
        Assert.Single(dense.Parameters);
        Assert.Equal(
            new float[] { 6, 6 },
            dense
                .Forward(
                    Matrix<float>.FromArray(
                        new float[,]
                        {
                            { 1, 2, 3 },
                        }
                    )
                )
                .Data
        );
    }

    [Fact]
    public void InitializersDrawWeightsThenBiasFromTheGivenRandom()
    {
        Dense a = Make(4, 3, seed: 11),
            b = Make(4, 3, seed: 11);
        Assert.Equal(a.Weights.Value.Data, b.Weights.Value.Data);
        Assert.Equal(a.Bias!.Value.Data, b.Bias!.Value.Data);
        Assert.Equal("dense.W", a.Weights.Name);
        Assert.Equal("fc.b", new Dense(1, 1, new RandomState(0), new Zeros(), name: "fc").Bias!.Name);
    }

    [Fact]
    public void ArgumentsAreValidatedByName()
    {
        var rng = new RandomState(0);
        Assert.Equal("inputs", Assert.Throws<ArgumentOutOfRangeException>(() => new Dense(0, 2, rng)).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentOutOfRangeException>(() => new Dense(2, 0, rng)).ParamName);
        Assert.Equal("rng", Assert.Throws<ArgumentNullException>(() => new Dense(2, 2, null!)).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentNullException>(() => new Dense<double>(null!)).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentOutOfRangeException>(() => new Dense<double>(new Matrix<double>(0, 2))).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentOutOfRangeException>(() => new Dense<double>(new Matrix<double>(2, 0))).ParamName);
        var bias = Assert.Throws<ShapeMismatchException>(() => new Dense<double>(new Matrix<double>(2, 3), new Matrix<double>(2, 3)));
        Assert.Equal("bias", bias.ParamName);
        Assert.StartsWith("Expected bias (1, 3) but got (2, 3)", bias.Message);
        Assert.Equal(1, new Dense(1, 1, rng).Inputs);
    }

    [Fact]
    public void DefaultInitializersAreHeAndZerosAndABiasInitializerIsUsed()
    {
        // The oracle: the same initializers drawn from a generator with the same seed, W first.
        var dense = new Dense(4, 3, new RandomState(5));
        var rng = new RandomState(5);
        Assert.Equal(new He().Create<float>(4, 3, rng).Data, dense.Weights.Value.Data);
        Assert.Equal(new float[3], dense.Bias!.Value.Data);
        var withBias = new Dense(4, 3, new RandomState(5), bias: new Uniform(0.5));
        var rng2 = new RandomState(5);
        Matrix<float> w = new He().Create<float>(4, 3, rng2);
        Assert.Equal(w.Data, withBias.Weights.Value.Data);
        Assert.Equal(new Uniform(0.5).Create<float>(1, 3, rng2).Data, withBias.Bias!.Value.Data);
        Assert.Equal((1, 3), (withBias.Bias.Value.Rows, withBias.Bias.Value.Cols));
        Assert.Equal((4, 3, 4, 3), (withBias.Inputs, withBias.Outputs, withBias.Weights.Value.Rows, withBias.Weights.Value.Cols));
    }

    [Fact]
    public void WithoutBiasBackwardAndConvertSkipTheBias()
    {
        var w = new Matrix<double>(2, 2, [1, 2, 3, 4]);
        var dense = new Dense<double>(w, name: "fc");
        Assert.Null(dense.Bias);
        Assert.Equal(["fc.W"], dense.Parameters.Select(p => p.Name));
        var x = new Matrix<double>(1, 2, [1, -1]);
        Assert.Equal([-2, -2], dense.Forward(x).Data); // [1, −1]·W
        Assert.Equal([3, 7], dense.Backward(new Matrix<double>(1, 2, [1, 1])).Data); // dY·Wᵀ
        Assert.Equal([1, 1, -1, -1], dense.Weights.Gradient.Data); // Xᵀ·dY
        var copy = (Dense<float>)dense.Convert<float>();
        Assert.Null(copy.Bias);
        Assert.Equal("fc", copy.Name);
        Assert.Equal(new float[] { -2, -2 }, copy.Forward(new Matrix<float>(1, 2, [1, -1])).Data);
        Assert.Equal("fc: Dense(2 → 2, no bias)", dense.ToString());
        Assert.Equal("dense: Dense(3 → 5)", Make(3, 5).ToString());
        Assert.Equal("fc.W (2, 2)", dense.Weights.ToString());
    }

    [Fact]
    public void BackwardParametersOnlyAccumulatesTheSameGradientsAndReturnsTheInput()
    {
        var rng = new RandomState(8);
        Dense a = Make(3, 2, seed: 4),
            b = Make(3, 2, seed: 4);
        Matrix<float> x = Numeric.RandomMatrix(5, 3, rng);
        Matrix<float> g = Numeric.RandomMatrix(5, 2, rng);
        a.Forward(x);
        a.Backward(g);
        b.Forward(x);
        Assert.Same(x, b.BackwardParametersOnly(g));
        Assert.Equal(a.Weights.Gradient.Data, b.Weights.Gradient.Data);
        Assert.Equal(a.Bias!.Gradient.Data, b.Bias!.Gradient.Data);
        var ex = Assert.Throws<InvalidOperationException>(() => Make(2, 2).BackwardParametersOnly(new Matrix<float>(1, 2)));
        Assert.Contains("'dense'", ex.Message);
        Assert.Throws<ShapeMismatchException>(() => b.BackwardParametersOnly(new Matrix<float>(5, 3)));
    }

    [Fact]
    public void AnUnnamedCopyIsStillNamedByTheModel()
    {
        Layer<double> copy = Make(2, 2).Convert<double>();
        var model = new Sequential<double>(copy, new Dense<double>(new Matrix<double>(2, 1, [1, 1]), name: "out"));
        Assert.Equal("dense1", copy.Name);
        Assert.Equal(["dense1.W", "dense1.b", "out.W"], model.Parameters.Select(p => p.Name));
    }
}

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
}

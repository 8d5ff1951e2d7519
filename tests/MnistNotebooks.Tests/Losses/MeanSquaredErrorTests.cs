using MnistNotebooks.Losses;
using MnistNotebooks.Randomness;
using MnistNotebooks.Tests.Layers;

namespace MnistNotebooks.Tests.Losses;

public sealed class MeanSquaredErrorTests
{
    private static readonly Matrix<float> Output = Matrix<float>.FromArray(
        new float[,]
        {
            { 0.5f, 0.25f, 0 },
            { 1, 1, 0 },
        }
    );
    private static readonly int[] Labels = [0, 2];

    [Fact]
    public void DefaultIsSeed004Convention()
    {
        // 0.5·Σ(out − y)² / batch: row 0 (−0.5, 0.25, 0) → 0.3125; row 1 (1, 1, −1) → 3; total 3.3125 / 2.
        var mse = new MeanSquaredError();
        Assert.Equal(0.5 * 3.3125 / 2, mse.Forward(Output, Labels), 6);
        Assert.Equal(new float[] { -0.25f, 0.125f, 0, 0.5f, 0.5f, -0.5f }, mse.Backward().Data); // (out − y) / batch
    }

    [Theory]
    [InlineData(MseReduction.MeanOverElements, 1.0, 6.0)]
    [InlineData(MseReduction.Sum, 0.5, 1.0)]
    public void ScaleAndReduction(MseReduction reduction, double scale, double divisor)
    {
        var mse = new MeanSquaredError(scale, reduction);
        Assert.Equal(scale * 3.3125 / divisor, mse.Forward(Output, Labels), 6);
        float[] g = mse.Backward().Data;
        float[] diff = [-0.5f, 0.25f, 0, 1, 1, -1];
        Assert.Equal(diff.Select(d => (float)(2 * scale * d / divisor)), g);
    }

    [Fact]
    public void RawErrorYMinusOutIsMinusTheSumGradient()
    {
        var mse = new MeanSquaredError(0.5, MseReduction.Sum);
        mse.Forward(Output, Labels);
        float[] yMinusOut = [0.5f, -0.25f, 0, -1, -1, 1];
        Assert.Equal(yMinusOut, mse.Backward().Data.Select(v => -v));
    }

    [Fact]
    public void BackwardMatchesNumericGradientWithGivenTargets()
    {
        var rng = new RandomState(3);
        Matrix<float> o = Numeric.RandomMatrix(3, 4, rng),
            t = Numeric.RandomMatrix(3, 4, rng);
        double Reference(double[] v) => 0.5 * v.Select((x, i) => (x - t.Data[i]) * (x - t.Data[i])).Sum() / 3;
        var mse = new MeanSquaredError();
        double[] od = Numeric.ToDouble(o.Data);
        Assert.Equal(Reference(od), mse.Forward(o, t), 5);
        Numeric.AssertClose(Numeric.Gradient(od, Reference), mse.Backward().Data, 1e-7, 1e-5);
        Assert.Equal(0.5 * 3.3125 / 2, new MeanSquaredError<double>().Forward(Output.Convert<double>(), Labels), 15);
    }
}

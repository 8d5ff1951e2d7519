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

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    public void ScaleMustBeFiniteAndPositive(double scale)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new MeanSquaredError(scale));
        Assert.Equal("scale", ex.ParamName);
        Assert.Equal(scale, ex.ActualValue);
        Assert.StartsWith("The scale must be finite and > 0", ex.Message);
    }

    [Fact]
    public void UnknownReductionIsRejectedAndKnownOnesAreKept()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new MeanSquaredError(0.5, (MseReduction)7));
        Assert.Equal("reduction", ex.ParamName);
        Assert.StartsWith("Unknown reduction", ex.Message);
        var mse = new MeanSquaredError(1e-300, MseReduction.Sum);
        Assert.Equal(1e-300, mse.Scale);
        Assert.Equal(MseReduction.Sum, mse.Reduction);
    }

    [Fact]
    public void ConvertKeepsScaleAndReduction()
    {
        var mse = new MeanSquaredError(2.0, MseReduction.MeanOverElements);
        var copy = Assert.IsType<MeanSquaredError<double>>(mse.Convert<double>());
        Assert.Equal(2.0, copy.Scale);
        Assert.Equal(MseReduction.MeanOverElements, copy.Reduction);
        // 2·3.3125 / 6, computed by hand above.
        Assert.Equal(2.0 * 3.3125 / 6, copy.Forward(Output.Convert<double>(), Labels), 15);
    }

    [Fact]
    public void TargetsAndOrderAreChecked()
    {
        var mse = new MeanSquaredError();
        Assert.Equal("Backward was called before Forward", Assert.Throws<InvalidOperationException>(() => mse.Backward()).Message);
        var ex = Assert.Throws<ShapeMismatchException>(() => mse.Forward(Output, new Matrix<float>(2, 4)));
        Assert.Equal("targets", ex.ParamName);
        Assert.Throws<ArgumentNullException>(() => mse.Forward(null!, new Matrix<float>(2, 3)));
        Assert.Equal("output", Assert.Throws<ArgumentNullException>(() => mse.Forward(null!, Labels)).ParamName);
        var empty = Assert.Throws<ShapeMismatchException>(() => mse.Forward(new Matrix<float>(0, 3), ReadOnlySpan<int>.Empty));
        Assert.StartsWith("Expected a non-empty batch of output but got 0 rows", empty.Message);
        var count = Assert.Throws<ShapeMismatchException>(() => mse.Forward(Output, [0]));
        Assert.StartsWith("Expected 2 labels, one per row of output (2, 3), but got 1", count.Message);
        Assert.Equal("labels", count.ParamName);
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => mse.Forward(Output, [0, -1]));
        Assert.Equal("labels", negative.ParamName);
        Assert.Equal(-1, negative.ActualValue);
        Assert.StartsWith("Label 1 is -1; expected a class in [0, 3)", negative.Message);
        var high = Assert.Throws<ArgumentOutOfRangeException>(() => mse.Forward(Output, [3, 0]));
        Assert.StartsWith("Label 0 is 3; expected a class in [0, 3)", high.Message);
        // The last class is valid: (0.5, 0.25, −1) and (0, 1, 0) → 0.5·(1.3125 + 1) / 2.
        Assert.Equal(0.5 * 2.3125 / 2, mse.Forward(Output, [2, 1]), 6);
    }

    [Fact]
    public void BuffersFollowTheBatchShapeBetweenCalls()
    {
        // One-hot targets and gradients for a batch of 2, then 3, then 2 again: each call equals a fresh loss's.
        var mse = new MeanSquaredError();
        var three = Matrix<float>.FromArray(
            new float[,]
            {
                { 1, 0, 0 },
                { 0, 2, 0 },
                { 0, 0, -1 },
            }
        );
        Assert.Equal(0.5 * 3.3125 / 2, mse.Forward(Output, Labels), 6);
        Assert.Equal(new float[] { -0.25f, 0.125f, 0, 0.5f, 0.5f, -0.5f }, mse.Backward().Data);
        // Labels 0, 1, 2: errors (0, 0, 0), (0, 1, 0), (0, 0, −2) → 0.5·5 / 3.
        Assert.Equal(0.5 * 5 / 3, mse.Forward(three, [0, 1, 2]), 6);
        Assert.Equal(new float[] { 0, 0, 0, 0, 1 / 3f, 0, 0, 0, -2 / 3f }, mse.Backward().Data);
        // Labels 1, 0 on the first batch: (0.5, −0.75, 0), (0, 1, 0) → 0.5·(0.25 + 0.5625 + 1) / 2; stale ones would differ.
        Assert.Equal(0.5 * 1.8125 / 2, mse.Forward(Output, [1, 0]), 6);
        Assert.Equal(new float[] { 0.25f, -0.375f, 0, 0, 0.5f, 0 }, mse.Backward().Data);
    }
}

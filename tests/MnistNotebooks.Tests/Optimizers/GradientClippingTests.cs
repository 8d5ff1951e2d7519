using MnistNotebooks.Layers;
using MnistNotebooks.Optimizers;

namespace MnistNotebooks.Tests.Optimizers;

public sealed class GradientClippingTests
{
    private static Parameter<float>[] Make(params float[][] gradients) =>
        gradients
            .Select(
                (g, i) =>
                {
                    var p = new Parameter<float>($"p{i}", new Matrix<float>(1, g.Length));
                    g.CopyTo(p.Gradient.Data, 0);
                    return p;
                }
            )
            .ToArray();

    [Fact]
    public void GlobalNormRescalesAllTensorsTogether()
    {
        Parameter<float>[] ps = Make([3f], [4f, 0f]);
        Assert.Equal(5.0, new ByGlobalNorm(1).Apply(ps));
        Assert.Equal(0.6f, ps[0].Gradient.Data[0], 6);
        Assert.Equal(0.8f, ps[1].Gradient.Data[0], 6);
        Assert.Equal(1.0, GradientClipping.GlobalNorm(ps), 6);
    }

    [Fact]
    public void GlobalNormLeavesSmallGradientsAlone()
    {
        Parameter<float>[] ps = Make([0.3f, 0.4f]);
        Assert.Equal(0.5, new ByGlobalNorm(1).Apply(ps), 6);
        Assert.Equal(new float[] { 0.3f, 0.4f }, ps[0].Gradient.Data);
    }

    [Fact]
    public void ByValueClampsEachElementAndReturnsThePreClipNorm()
    {
        Parameter<float>[] ps = Make([3f, -4f, 0.5f]);
        Assert.Equal(Math.Sqrt(25.25), new ByValue(1).Apply(ps), 6);
        Assert.Equal(new float[] { 1f, -1f, 0.5f }, ps[0].Gradient.Data);
    }

    [Fact]
    public void ClippingDoesNotHideNaN()
    {
        Parameter<float>[] ps = Make([float.NaN, 1f]);
        Assert.True(double.IsNaN(new ByGlobalNorm(1).Apply(ps)));
        Assert.True(float.IsNaN(ps[0].Gradient.Data[1]));
        Parameter<float>[] qs = Make([float.NaN, 5f]);
        new ByValue(1).Apply(qs);
        Assert.True(float.IsNaN(qs[0].Gradient.Data[0]));
        Assert.Equal(1f, qs[0].Gradient.Data[1]);
    }

    [Fact]
    public void RejectsNonPositiveLimits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ByGlobalNorm(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ByValue(double.PositiveInfinity));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void LimitsMustBeFiniteAndPositive(double limit)
    {
        var norm = Assert.Throws<ArgumentOutOfRangeException>(() => new ByGlobalNorm(limit));
        Assert.Equal("maxNorm", norm.ParamName);
        Assert.Equal(limit, norm.ActualValue);
        Assert.StartsWith("The maximum norm must be finite and > 0", norm.Message);
        var value = Assert.Throws<ArgumentOutOfRangeException>(() => new ByValue(limit));
        Assert.Equal("limit", value.ParamName);
        Assert.Equal(limit, value.ActualValue);
        Assert.StartsWith("The limit must be finite and > 0", value.Message);
    }

    [Fact]
    public void LimitsAreKeptAndTinyOnesAccepted()
    {
        Assert.Equal(1e-300, new ByGlobalNorm(1e-300).MaxNorm);
        Assert.Equal(2.5, new ByValue(2.5).Limit);
        Assert.Throws<ArgumentNullException>(() => GradientClipping.GlobalNorm<float>(null!));
        Assert.Equal(0.0, GradientClipping.GlobalNorm(Make([0f, 0f])));
    }

    [Fact]
    public void ByValueClampsEveryParameterAndGlobalNormSumsThemAll()
    {
        Parameter<float>[] ps = Make([2f, -0.5f], [-3f], [0.25f, 6f]);
        // ‖g‖² = 4 + 0.25 + 9 + 0.0625 + 36.
        Assert.Equal(Math.Sqrt(49.3125), GradientClipping.GlobalNorm(ps), 12);
        Assert.Equal(Math.Sqrt(49.3125), new ByValue(1.5).Apply(ps), 12);
        Assert.Equal(new float[] { 1.5f, -0.5f }, ps[0].Gradient.Data);
        Assert.Equal(new float[] { -1.5f }, ps[1].Gradient.Data);
        Assert.Equal(new float[] { 0.25f, 1.5f }, ps[2].Gradient.Data);
    }

    [Fact]
    public void GlobalNormScalesEveryParameterAndAnInfiniteNormZeroesTheFiniteOnes()
    {
        Parameter<double>[] ps =
        [
            new("a", new Matrix<double>(1, 1)),
            new("b", new Matrix<double>(1, 2)),
            new("c", new Matrix<double>(1, 1)),
        ];
        (ps[0].Gradient.Data[0], ps[1].Gradient.Data[0], ps[1].Gradient.Data[1], ps[2].Gradient.Data[0]) = (2, 0, 4, 4);
        Assert.Equal(6.0, new ByGlobalNorm(3).Apply(ps));
        Assert.Equal([1.0, 0, 2, 2], ps.SelectMany(p => p.Gradient.Data));
        // ‖g‖ = ∞: MaxNorm / ∞ = 0, as in PyTorch, so ∞ becomes NaN and the rest 0.
        ps[1].Gradient.Data[1] = double.PositiveInfinity;
        Assert.Equal(double.PositiveInfinity, new ByGlobalNorm(3).Apply(ps));
        Assert.Equal([0.0, 0, double.NaN, 0], ps.SelectMany(p => p.Gradient.Data));
    }
}

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
}

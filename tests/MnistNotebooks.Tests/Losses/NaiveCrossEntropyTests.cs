using MnistNotebooks.Layers;
using MnistNotebooks.Losses;

namespace MnistNotebooks.Tests.Losses;

public sealed class NaiveCrossEntropyTests
{
    [Fact]
    public void MatchesMinusMeanLogOfTargetProbability()
    {
        var loss = new NaiveCrossEntropy();
        float l = loss.Forward(Matrix.FromArray(new float[,] { { 0.25f, 0.75f }, { 0.5f, 0.5f } }), [1, 0]);
        Assert.Equal(-(Math.Log(0.75) + Math.Log(0.5)) / 2, l, 6);
        Assert.Equal(new float[] { -0, -1 / (0.75f * 2), -1 / (0.5f * 2), -0 }, loss.Backward().Data);
    }

    [Fact]
    public void ZeroProbabilityOfTheTargetGivesInfinity()
    {
        var loss = new NaiveCrossEntropy();
        Matrix p = Matrix.FromArray(new float[,] { { 1, 0 } });
        Assert.Equal(float.PositiveInfinity, loss.Forward(p, [1])); // −1·log 0 = +∞; 0·log 1 = 0
        Assert.True(float.IsNegativeInfinity(loss.Backward().Data[1]));
    }

    [Fact]
    public void ZeroProbabilityOfAnotherClassGivesNaNLikeNumpy()
    {
        // 0·log(0) = 0·(−∞) = NaN: numpy's "invalid value encountered in multiply" in seed 002.
        var loss = new NaiveCrossEntropy();
        Assert.True(float.IsNaN(loss.Forward(Matrix.FromArray(new float[,] { { 1, 0 } }), [0])));
        Assert.True(float.IsNaN(loss.Backward().Data[1])); // −0 / 0
    }

    [Fact]
    public void NaiveSoftmaxThenNaiveCrossEntropyTurnsNaNAtLargeLogits()
    {
        var p = new NaiveSoftmax().Forward(Matrix.FromArray(new float[,] { { 100f, 1f, 2f } }));
        Assert.True(float.IsNaN(new NaiveCrossEntropy().Forward(p, [0])));
        var q = new NaiveSoftmax().Forward(Matrix.FromArray(new float[,] { { 80f, 1f, -30f } }));
        Assert.True(float.IsNaN(new NaiveCrossEntropy().Forward(q, [0]))); // exp(−30)/exp(80) underflows to 0
        var stable = new SoftmaxCrossEntropy().Forward(Matrix.FromArray(new float[,] { { 100f, 1f, 2f } }), [0]);
        Assert.True(float.IsFinite(stable));
    }
}

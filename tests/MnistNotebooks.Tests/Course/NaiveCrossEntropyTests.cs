using MnistNotebooks.Course;
using MnistNotebooks.GradientChecking;
using MnistNotebooks.Initialization;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Randomness;
using MnistNotebooks.Tests.Layers;

namespace MnistNotebooks.Tests.Course;

public sealed class NaiveCrossEntropyTests
{
    [Fact]
    public void MatchesMinusMeanLogOfTargetProbability()
    {
        var loss = new NaiveCrossEntropy<float>();
        float l = loss.Forward(
            Matrix<float>.FromArray(
                new float[,]
                {
                    { 0.25f, 0.75f },
                    { 0.5f, 0.5f },
                }
            ),
            [1, 0]
        );
        Assert.Equal(-(Math.Log(0.75) + Math.Log(0.5)) / 2, l, 6);
        Assert.Equal(new float[] { -0, -1 / (0.75f * 2), -1 / (0.5f * 2), -0 }, loss.Backward().Data);
    }

    [Fact]
    public void ZeroProbabilityOfTheTargetGivesInfinity()
    {
        var loss = new NaiveCrossEntropy<float>();
        Matrix<float> p = Matrix<float>.FromArray(
            new float[,]
            {
                { 1, 0 },
            }
        );
        Assert.Equal(float.PositiveInfinity, loss.Forward(p, [1])); // −1·log 0 = +∞; 0·log 1 = 0
        Assert.True(float.IsNegativeInfinity(loss.Backward().Data[1]));
    }

    [Fact]
    public void ZeroProbabilityOfAnotherClassGivesNaNLikeNumpy()
    {
        // 0·log(0) = 0·(−∞) = NaN: numpy's "invalid value encountered in multiply".
        var loss = new NaiveCrossEntropy<float>();
        Assert.True(
            float.IsNaN(
                loss.Forward(
                    Matrix<float>.FromArray(
                        new float[,]
                        {
                            { 1, 0 },
                        }
                    ),
                    [0]
                )
            )
        );
        Assert.True(float.IsNaN(loss.Backward().Data[1])); // −0 / 0
    }

    [Fact]
    public void NaiveSoftmaxThenNaiveCrossEntropyTurnsNaNAtLargeLogits()
    {
        var p = new NaiveSoftmax<float>().Forward(
            Matrix<float>.FromArray(
                new float[,]
                {
                    { 100f, 1f, 2f },
                }
            )
        );
        Assert.True(float.IsNaN(new NaiveCrossEntropy<float>().Forward(p, [0])));
        var q = new NaiveSoftmax<float>().Forward(
            Matrix<float>.FromArray(
                new float[,]
                {
                    { 80f, 1f, -30f },
                }
            )
        );
        Assert.True(float.IsNaN(new NaiveCrossEntropy<float>().Forward(q, [0]))); // exp(−30)/exp(80) underflows to 0
        var stable = new SoftmaxCrossEntropy().Forward(
            Matrix<float>.FromArray(
                new float[,]
                {
                    { 100f, 1f, 2f },
                }
            ),
            [0]
        );
        Assert.True(float.IsFinite(stable));
    }

    [Fact]
    public void BackwardMatchesNumericGradientForPositiveProbabilities()
    {
        var p = Matrix<float>.FromArray(
            new float[,]
            {
                { 0.2f, 0.5f, 0.3f },
                { 0.6f, 0.3f, 0.1f },
            }
        );
        int[] labels = [1, 2];
        double Reference(double[] v) => -(Math.Log(v[1]) + Math.Log(v[5])) / 2;
        var loss = new NaiveCrossEntropy<float>();
        Assert.Equal(Reference(Numeric.ToDouble(p.Data)), loss.Forward(p, labels), 6);
        Numeric.AssertClose(Numeric.Gradient(Numeric.ToDouble(p.Data), Reference, 1e-7), loss.Backward().Data, 1e-6, 1e-5);
    }

    [Fact]
    public void NaiveSoftmaxAndNaiveCrossEntropyPassAGradientCheckAtModestLogits()
    {
        var rng = new RandomState(2);
        var model = new Sequential(new Dense(4, 3, rng, new Normal(0.5)), new NaiveSoftmax<float>());
        GradientCheckResult result = GradientCheck.Check(
            model,
            new NaiveCrossEntropy<float>(),
            Numeric.RandomMatrix(5, 4, rng),
            [0, 1, 2, 1, 0]
        );
        Assert.True(result.Passed, result.ToString());
    }
}

using MnistNotebooks.Course;
using MnistNotebooks.Optimizers;

namespace MnistNotebooks.Tests.Course;

public sealed class PerSampleSgdTests
{
    // Two samples, two inputs, two outputs, W = I, α = 0.1, k = 2, worked by hand:
    // sample 0: x = [1, 2], y = [0, 1], α‖x‖² = 0.5 so each update halves the residual.
    //   u0: pred [1, 2], δ [1, 1], error 2;       W −= 0.1·outer(x, δ) → [[0.9, −0.1], [−0.2, 0.8]]
    //   u1: pred [0.5, 1.5], δ [0.5, 0.5], error 0.5; W → [[0.85, −0.15], [−0.3, 0.7]]
    // sample 1: x = [3, 0], y = [1, 0], α‖x‖² = 0.9 so each update multiplies the residual by 0.1.
    //   u2: pred [2.55, −0.45], error 2.605;       W → [[0.385, −0.015], [−0.3, 0.7]]
    //   u3: δ [0.155, −0.045], error 0.02605;      W → [[0.3385, −0.0015], [−0.3, 0.7]]
    private static (Matrix W, Matrix X, Matrix Y) TwoSamples() =>
        (
            Matrix.FromArray(
                new float[,]
                {
                    { 1, 0 },
                    { 0, 1 },
                }
            ),
            Matrix.FromArray(
                new float[,]
                {
                    { 1, 2 },
                    { 3, 0 },
                }
            ),
            Matrix.FromArray(
                new float[,]
                {
                    { 0, 1 },
                    { 1, 0 },
                }
            )
        );

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MatchesTheHandComputedTwoSampleCase(bool float64)
    {
        var (w, x, y) = TwoSamples();
        PerSampleSgdResult r = PerSampleSgd.Train(
            w,
            x,
            y,
            new PerSampleSgdOptions
            {
                LearningRate = 0.1,
                UpdatesPerSample = 2,
                Float64 = float64,
            }
        );
        double[] expected = [2, 0.5, 2.605, 0.02605];
        Assert.Equal(4, r.Errors.Count);
        for (int u = 0; u < 4; u++)
        {
            Assert.Equal(expected[u], r.Errors[u], 5);
        }
        Assert.Equal(4, r.Updates);
        Assert.Equal(2, r.SamplesSeen);
        Assert.Null(r.FirstNonFiniteUpdate);
        float[] wExpected = [0.3385f, -0.0015f, -0.3f, 0.7f];
        for (int t = 0; t < 4; t++)
        {
            Assert.Equal(wExpected[t], w.Data[t], 5);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ClippingByNormScalesTheOuterProduct(bool float64)
    {
        var (w, x, y) = TwoSamples();
        // u0 gradient outer([1, 2], [1, 1]) has norm √10; clipped to norm 1 it is divided by √10.
        PerSampleSgd.Train(
            w,
            x.SliceRows(0, 1),
            y.SliceRows(0, 1),
            new PerSampleSgdOptions
            {
                LearningRate = 0.1,
                Clipping = new ByGlobalNorm(1),
                Float64 = float64,
            }
        );
        float s = (float)(0.1 / Math.Sqrt(10));
        Assert.Equal(new[] { 1 - s, -s, -2 * s, 1 - 2 * s }, w.Data, new FloatComparer(1e-6f));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ClippingByValueClampsEachElement(bool float64)
    {
        var (w, x, y) = TwoSamples();
        // gradient [[1, 1], [2, 2]] clamped to 1.5 → [[1, 1], [1.5, 1.5]]
        PerSampleSgd.Train(
            w,
            x.SliceRows(0, 1),
            y.SliceRows(0, 1),
            new PerSampleSgdOptions
            {
                LearningRate = 0.1,
                Clipping = new ByValue(1.5),
                Float64 = float64,
            }
        );
        Assert.Equal(new[] { 0.9f, -0.1f, -0.15f, 0.85f }, w.Data, new FloatComparer(1e-6f));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StopsOnTheFirstNonFiniteErrorOrRunsOn(bool float64)
    {
        // α‖x‖² = 1e3·5 = 5000: the residual is multiplied by −4999 per update and overflows.
        var (w, x, y) = TwoSamples();
        PerSampleSgdResult r = PerSampleSgd.Train(
            w,
            x,
            y,
            new PerSampleSgdOptions
            {
                LearningRate = 1e3,
                UpdatesPerSample = 200,
                Float64 = float64,
            }
        );
        Assert.NotNull(r.FirstNonFiniteUpdate);
        Assert.Equal(r.FirstNonFiniteUpdate + 1, r.Updates);
        Assert.Equal(r.FirstNonFiniteUpdate, r.FirstUpdateAbove(double.MaxValue));
        Assert.True(r.FirstUpdateAbove(1e30) < r.FirstNonFiniteUpdate);
        Assert.Equal(1, r.SamplesSeen);

        var (w2, _, _) = TwoSamples();
        PerSampleSgdResult on = PerSampleSgd.Train(
            w2,
            x,
            y,
            new PerSampleSgdOptions
            {
                LearningRate = 1e3,
                UpdatesPerSample = 200,
                StopOnNonFinite = false,
                Float64 = float64,
            }
        );
        Assert.Equal(400, on.Updates);
        Assert.Equal(r.FirstNonFiniteUpdate, on.FirstNonFiniteUpdate);
    }

    [Fact]
    public void StabilityFactorIsAlphaTimesSquaredNorm()
    {
        var (_, x, _) = TwoSamples();
        Assert.Equal(new[] { 0.5, 0.9 }, PerSampleSgd.StabilityFactors(x, 0.1).Select(v => Math.Round(v, 6)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(784)]
    public void DotMatchesTheScalarSumForEveryRemainder(int n)
    {
        var rng = new Random(n);
        float[] a = Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        float[] b = Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        double expected = a.Zip(b).Sum(p => (double)p.First * p.Second);
        Assert.Equal(expected, PerSampleSgd.Dot(a, b), 4);
    }

    private sealed class FloatComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance;

        public int GetHashCode(float v) => 0;
    }
}

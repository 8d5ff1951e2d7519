using MnistNotebooks.Initialization;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Tests.Initialization;

public sealed class InitializerTests
{
    private static (double Mean, double Std, float Min, float Max) Stats(Matrix<float> m)
    {
        double mean = m.Data.Average(v => (double)v);
        double std = Math.Sqrt(m.Data.Average(v => (v - mean) * (v - mean)));
        return (mean, std, m.Data.Min(), m.Data.Max());
    }

    /// <summary>n = 235,200 (784 × 300): the mean is within 4 standard errors, the std within 1%.</summary>
    private static void AssertMoments(Matrix<float> m, double mean, double std)
    {
        var s = Stats(m);
        Assert.InRange(s.Mean, mean - 4 * std / Math.Sqrt(m.Length), mean + 4 * std / Math.Sqrt(m.Length));
        Assert.InRange(s.Std, std * 0.99, std * 1.01);
    }

    [Fact]
    public void Uniform01IsNumpyRand()
    {
        Matrix<float> m = new Uniform01().Create<float>(784, 300, new RandomState(1));
        AssertMoments(m, 0.5, Math.Sqrt(1 / 12.0));
        var s = Stats(m);
        Assert.True(s.Min >= 0 && s.Max < 1);
    }

    [Fact]
    public void UniformIsSymmetric()
    {
        Matrix<float> m = new Uniform(0.05).Create<float>(784, 300, new RandomState(2));
        AssertMoments(m, 0, 0.05 / Math.Sqrt(3));
        var s = Stats(m);
        Assert.True(s.Min >= -0.05f && s.Max < 0.05f);
    }

    [Theory]
    [InlineData(-1, 1)] // 2*random - 1 (seed 001)
    [InlineData(-0.5, 0.5)] // rand - 0.5 (seed 003)
    [InlineData(2, 3)]
    public void UniformRangeCoversLowToHigh(double low, double high)
    {
        Matrix<float> m = new UniformRange(low, high).Create<float>(784, 300, new RandomState(3));
        AssertMoments(m, (low + high) / 2, (high - low) / Math.Sqrt(12));
        var s = Stats(m);
        Assert.True(s.Min >= low && s.Max < high);
        Assert.True(s.Min < low + 0.001 && s.Max > high - 0.001);
    }

    [Fact]
    public void NormalHasMeanStdAndGaussianTails()
    {
        Matrix<float> m = new Normal(0.01).Create<float>(784, 300, new RandomState(4));
        AssertMoments(m, 0, 0.01);
        double beyond2 = m.Data.Count(v => Math.Abs(v) > 0.02) / (double)m.Length;
        Assert.InRange(beyond2, 0.0455 - 0.002, 0.0455 + 0.002); // P(|z| > 2) = 4.55%
        AssertMoments(new Normal(2, mean: 5).Create<float>(500, 500, new RandomState(5)), 5, 2);
    }

    [Fact]
    public void HeUsesFanInRows()
    {
        AssertMoments(new He().Create<float>(784, 300, new RandomState(6)), 0, Math.Sqrt(2.0 / 784));
        AssertMoments(new He().Create<float>(300, 784, new RandomState(6)), 0, Math.Sqrt(2.0 / 300));
    }

    [Fact]
    public void XavierUniformUsesFanInPlusFanOut()
    {
        double a = Math.Sqrt(6.0 / (784 + 300));
        Matrix<float> m = new XavierUniform().Create<float>(784, 300, new RandomState(7));
        AssertMoments(m, 0, a / Math.Sqrt(3));
        Assert.True(Stats(m).Max < a && Stats(m).Min >= -a);
    }

    [Fact]
    public void ZerosAndConstant()
    {
        Assert.All(new Zeros().Create<float>(3, 4, new RandomState(0)).Data, v => Assert.Equal(0f, v));
        Assert.All(new Constant(0.1).Create<float>(3, 4, new RandomState(0)).Data, v => Assert.Equal(0.1f, v));
    }

    [Fact]
    public void SameSeedSameValuesAndOddLengthsFilled()
    {
        Assert.Equal(new He().Create<float>(3, 5, new RandomState(9)).Data, new He().Create<float>(3, 5, new RandomState(9)).Data);
        Assert.NotEqual(new He().Create<float>(3, 5, new RandomState(9)).Data, new He().Create<float>(3, 5, new RandomState(10)).Data);
        Assert.All(new Normal(1).Create<float>(1, 7, new RandomState(1)).Data, v => Assert.NotEqual(0f, v));
    }

    /// <summary>numpy: <c>np.random.seed(0); np.random.rand(784, 10)[0, :2]</c> and <c>np.random.seed(0); np.random.randn(2)</c>.</summary>
    [Fact]
    public void DoubleDrawsAreNumpysValues()
    {
        Matrix<double> u = new Uniform01().Create<double>(784, 10, new RandomState(0));
        Assert.Equal([0.5488135039273248, 0.7151893663724195], u.Data[..2]);
        Assert.Equal(new RandomState(0).Rand(784, 10).Data, u.Data);
        Matrix<double> z = new Normal(1).Create<double>(1, 2, new RandomState(0));
        Assert.Equal([1.764052345967664, 0.4001572083672233], z.Data);
        // 2*random(shape) − 1 and rand(shape) − 0.5 are low + (high − low)·u with the same bits.
        Matrix<double> r = new UniformRange(-1, 1).Create<double>(784, 16, new RandomState(0));
        Assert.Equal(new RandomState(0).Random(784, 16).Data.Select(v => 2 * v - 1), r.Data);
        Matrix<double> h = new UniformRange(-0.5, 0.5).Create<double>(784, 20, new RandomState(0));
        Assert.Equal(new RandomState(0).Rand(784, 20).Data.Select(v => v - 0.5), h.Data);
        // float weights are numpy's doubles rounded to nearest.
        Assert.Equal(u.Data.Select(v => (float)v), new Uniform01().Create<float>(784, 10, new RandomState(0)).Data);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Uniform(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UniformRange(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Normal(double.NaN));
        Assert.Throws<ArgumentNullException>(() => new He().Create<float>(2, 2, null!));
    }
}

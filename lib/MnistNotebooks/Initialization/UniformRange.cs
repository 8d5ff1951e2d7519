using MnistNotebooks.Randomness;

namespace MnistNotebooks.Initialization;

/// <summary>U[low, high) = low + (high − low)·u: numpy's <c>2*np.random.random(shape) - 1</c> is (−1, 1),
/// <c>np.random.rand(...) - 0.5</c> is (−0.5, 0.5), with the same values.</summary>
public sealed record UniformRange : Initializer
{
    public UniformRange(double low, double high)
    {
        CheckFinite(low, nameof(low));
        CheckFinite(high, nameof(high));
        if (high < low)
        {
            throw new ArgumentOutOfRangeException(nameof(high), high, FormattableString.Invariant($"Expected high ≥ low = {low}"));
        }
        Low = low;
        High = high;
    }

    public double Low { get; }

    public double High { get; }

    protected override double? UpperBound(int rows, int cols) => High > Low ? High : null;

    protected override double[] Draw(int rows, int cols, RandomState rng) => DrawUniform(rows * cols, rng, Low, High);
}

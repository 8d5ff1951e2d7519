namespace MnistNotebooks.Initialization;

/// <summary>U[low, high): numpy's <c>2*np.random.random(shape) - 1</c> is (−1, 1) (seed 001),
/// <c>np.random.rand(...) - 0.5</c> is (−0.5, 0.5) (seed 003).</summary>
public sealed record UniformRange : Initializer
{
    public UniformRange(double low, double high)
    {
        CheckFinite(low, nameof(low));
        CheckFinite(high, nameof(high));
        if (high < low)
        {
            throw new ArgumentOutOfRangeException(nameof(high), high, $"Expected high ≥ low = {low}");
        }
        Low = low;
        High = high;
    }

    public double Low { get; }

    public double High { get; }

    public override void Fill(Matrix weights, Random rng)
    {
        ArgumentNullException.ThrowIfNull(weights);
        FillUniform(weights.Data, rng, Low, High);
    }
}

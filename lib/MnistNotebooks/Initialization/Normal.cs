using MnistNotebooks.Randomness;

namespace MnistNotebooks.Initialization;

/// <summary>N(mean, std²) = mean + std·z, e.g. <c>0.01 * np.random.randn(...)</c> is <c>new Normal(0.01)</c>.</summary>
public sealed record Normal : Initializer
{
    public Normal(double std, double mean = 0)
    {
        CheckFinite(std, nameof(std));
        CheckFinite(mean, nameof(mean));
        ArgumentOutOfRangeException.ThrowIfNegative(std);
        Std = std;
        Mean = mean;
    }

    public double Std { get; }

    public double Mean { get; }

    protected override double[] Draw(int rows, int cols, RandomState rng) => DrawNormal(rows * cols, rng, Mean, Std);
}

using MnistNotebooks.Randomness;

namespace MnistNotebooks.Initialization;

/// <summary>U[−a, a), symmetric around zero; std = a/√3.</summary>
public sealed record Uniform : Initializer
{
    public Uniform(double limit)
    {
        CheckFinite(limit, nameof(limit));
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        Limit = limit;
    }

    /// <summary>a, the half-width.</summary>
    public double Limit { get; }

    protected override double? UpperBound(int rows, int cols) => Limit;

    protected override double[] Draw(int rows, int cols, RandomState rng) => DrawUniform(rows * cols, rng, -Limit, Limit);
}

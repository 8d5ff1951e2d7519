using MnistNotebooks.Randomness;

namespace MnistNotebooks.Initialization;

/// <summary>U[0, 1), numpy's <c>np.random.rand(rows, cols)</c>: all positive, mean 0.5.</summary>
public sealed record Uniform01 : Initializer
{
    protected override double? UpperBound(int rows, int cols) => 1;

    protected override double[] Draw(int rows, int cols, RandomState rng) => rng.Rand(rows, cols).Data;
}

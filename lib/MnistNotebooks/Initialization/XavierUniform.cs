using MnistNotebooks.Randomness;

namespace MnistNotebooks.Initialization;

/// <summary>Glorot/Xavier uniform: U[−a, a) with a = √(6 / (fan_in + fan_out)), so Var = 2 / (fan_in + fan_out)
/// (Glorot &amp; Bengio 2010; suits tanh and sigmoid).</summary>
public sealed record XavierUniform : Initializer
{
    protected override double? UpperBound(int rows, int cols) => Limit(rows, cols);

    protected override double[] Draw(int rows, int cols, RandomState rng) =>
        DrawUniform(rows * cols, rng, -Limit(rows, cols), Limit(rows, cols));

    private static double Limit(int rows, int cols) => Math.Sqrt(6.0 / (rows + cols));
}

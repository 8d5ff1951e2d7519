using MnistNotebooks.Randomness;

namespace MnistNotebooks.Initialization;

/// <summary>Every element equal to <see cref="Value"/>, e.g. a small positive bias 0.01 for ReLU units; draws nothing.</summary>
public sealed record Constant : Initializer
{
    public Constant(double value)
    {
        CheckFinite(value, nameof(value));
        Value = value;
    }

    public double Value { get; }

    protected override double[] Draw(int rows, int cols, RandomState rng) => Enumerable.Repeat(Value, rows * cols).ToArray();
}

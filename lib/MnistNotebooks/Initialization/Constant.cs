namespace MnistNotebooks.Initialization;

/// <summary>Every element equal to <see cref="Value"/>, e.g. a small positive bias 0.01 for ReLU units.</summary>
public sealed record Constant : Initializer
{
    public Constant(double value)
    {
        CheckFinite(value, nameof(value));
        Value = value;
    }

    public double Value { get; }

    public override void Fill(Matrix weights, Random rng)
    {
        ArgumentNullException.ThrowIfNull(weights);
        weights.Fill((float)Value);
    }
}

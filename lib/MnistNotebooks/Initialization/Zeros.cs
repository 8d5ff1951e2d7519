namespace MnistNotebooks.Initialization;

/// <summary>All zeros: right for biases; for weights every unit of a layer then stays identical (no symmetry breaking).</summary>
public sealed record Zeros : Initializer
{
    public override void Fill(Matrix weights, Random rng)
    {
        ArgumentNullException.ThrowIfNull(weights);
        weights.Clear();
    }
}

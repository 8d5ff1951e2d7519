namespace MnistNotebooks.Initialization;

/// <summary>He (Kaiming) normal: N(0, 2 / fan_in), std = √(2 / fan_in) with fan_in = rows of W (He et al. 2015;
/// keeps the ReLU activations' scale layer to layer). Seed 002's <c>randn(out, in) * sqrt(2 / in)</c>.</summary>
public sealed record He : Initializer
{
    public override void Fill(Matrix weights, Random rng)
    {
        ArgumentNullException.ThrowIfNull(weights);
        FillNormal(weights.Data, rng, 0, Math.Sqrt(2.0 / Math.Max(weights.Rows, 1)));
    }
}

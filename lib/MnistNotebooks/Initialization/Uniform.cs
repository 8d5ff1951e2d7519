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

    public override void Fill(Matrix weights, Random rng)
    {
        ArgumentNullException.ThrowIfNull(weights);
        FillUniform(weights.Data, rng, -Limit, Limit);
    }
}

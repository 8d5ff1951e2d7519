namespace MnistNotebooks.Initialization;

/// <summary>U[0, 1), numpy's <c>np.random.rand(rows, cols)</c>: all positive, mean 0.5 (seed 000's weights).</summary>
public sealed record Uniform01 : Initializer
{
    public override void Fill(Matrix weights, Random rng)
    {
        ArgumentNullException.ThrowIfNull(weights);
        FillUniform(weights.Data, rng, 0, 1);
    }
}

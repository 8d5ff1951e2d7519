namespace MnistNotebooks.Initialization;

/// <summary>Glorot/Xavier uniform: U[−a, a) with a = √(6 / (fan_in + fan_out)), so Var = 2 / (fan_in + fan_out)
/// (Glorot &amp; Bengio 2010; suits tanh and sigmoid).</summary>
public sealed record XavierUniform : Initializer
{
    public override void Fill(Matrix weights, Random rng)
    {
        ArgumentNullException.ThrowIfNull(weights);
        double a = Math.Sqrt(6.0 / (weights.Rows + weights.Cols));
        FillUniform(weights.Data, rng, -a, a);
    }
}

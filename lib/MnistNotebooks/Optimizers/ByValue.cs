using MnistNotebooks.Layers;

namespace MnistNotebooks.Optimizers;

/// <summary>g ← clamp(g, −Limit, Limit) element by element (changes the direction; NaN stays NaN).</summary>
public sealed record ByValue : GradientClipping
{
    public ByValue(double limit)
    {
        if (!double.IsFinite(limit) || limit <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit must be finite and > 0");
        }
        Limit = limit;
    }

    public double Limit { get; }

    public override double Apply(IReadOnlyList<Parameter> parameters)
    {
        double norm = GlobalNorm(parameters);
        float limit = (float)Limit;
        foreach (Parameter p in parameters)
        {
            Span<float> g = p.Gradient.Data;
            for (int i = 0; i < g.Length; i++)
            {
                // Comparisons with NaN are false, so NaN passes through unchanged.
                if (g[i] > limit)
                {
                    g[i] = limit;
                }
                else if (g[i] < -limit)
                {
                    g[i] = -limit;
                }
            }
        }
        return norm;
    }
}

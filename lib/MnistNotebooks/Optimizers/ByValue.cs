using System.Numerics;
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

    public override double Apply<T>(IReadOnlyList<Parameter<T>> parameters)
    {
        double norm = GlobalNorm(parameters);
        T limit = T.CreateTruncating(Limit);
        for (int k = 0; k < parameters.Count; k++)
        {
            Span<T> g = parameters[k].Gradient.Data;
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

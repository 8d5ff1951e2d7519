using System.Globalization;
using MnistNotebooks.Layers;

namespace MnistNotebooks.Diagnostics;

/// <summary>The size of one parameter's gradient: ‖g‖₂ = sqrt(Σ g²) (summed in double) and max |g|.</summary>
public sealed record GradientNorm(string Parameter, string Shape, double Norm, double MaxAbs)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Parameter} {Shape} | ‖g‖ {Norm:0.000e+00} | max |g| {MaxAbs:0.000e+00}");
}

/// <summary>Per-parameter gradient norms: vanishing (≈ 0 in the early layers) or exploding gradients.</summary>
public static class GradientNorms
{
    /// <summary>The gradient norm of every parameter, in order; read after Backward, before the optimizer step.</summary>
    public static IReadOnlyList<GradientNorm> Of(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Select(p => new GradientNorm(p.Name, p.Gradient.Shape, L2(p.Gradient.Data), MaxAbs(p.Gradient.Data))).ToArray();
    }

    /// <summary>The global norm sqrt(Σ over every parameter of ‖g‖²), as gradient clipping measures it.</summary>
    public static double Global(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double s = 0;
        foreach (Parameter p in parameters)
        {
            s += SumOfSquares(p.Gradient.Data);
        }
        return Math.Sqrt(s);
    }

    /// <summary>‖v‖₂ = sqrt(Σ v²), accumulated in double. Allocation-free.</summary>
    public static double L2(ReadOnlySpan<float> values) => Math.Sqrt(SumOfSquares(values));

    /// <summary>Σ v², accumulated in double.</summary>
    public static double SumOfSquares(ReadOnlySpan<float> values)
    {
        double s = 0;
        foreach (float v in values)
        {
            s += (double)v * v;
        }
        return s;
    }

    /// <summary>max |v| (NaN if any element is NaN); 0 for an empty span.</summary>
    public static double MaxAbs(ReadOnlySpan<float> values)
    {
        float m = 0;
        foreach (float v in values)
        {
            if (float.IsNaN(v))
            {
                return double.NaN;
            }
            m = MathF.Max(m, MathF.Abs(v));
        }
        return m;
    }
}

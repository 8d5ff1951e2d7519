using System.Globalization;
using System.Numerics;
using MnistNotebooks.Kernels;
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
    public static IReadOnlyList<GradientNorm> Of<T>(IEnumerable<Parameter<T>> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return [.. parameters.Select(p => new GradientNorm(p.Name, p.Gradient.Shape, L2<T>(p.Gradient.Data), MaxAbs<T>(p.Gradient.Data)))];
    }

    /// <summary>The global norm sqrt(Σ over every parameter of ‖g‖²), as gradient clipping measures it.</summary>
    public static double Global<T>(IEnumerable<Parameter<T>> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double s = 0;
        foreach (Parameter<T> p in parameters)
        {
            s += ElementWise.SumOfSquares<T>(p.Gradient.Data);
        }
        return Math.Sqrt(s);
    }

    /// <summary>‖v‖₂ = sqrt(Σ v²), accumulated in double. Allocation-free.</summary>
    public static double L2<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T> => Math.Sqrt(ElementWise.SumOfSquares(values));

    /// <summary>max |v| (NaN if any element is NaN); 0 for an empty span.</summary>
    public static double MaxAbs<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T m = T.Zero;
        foreach (T v in values)
        {
            if (T.IsNaN(v))
            {
                return double.NaN;
            }
            m = T.Max(m, T.Abs(v));
        }
        return double.CreateTruncating(m);
    }
}

using System.Numerics;

namespace MnistNotebooks.Layers;

/// <summary>Small helpers for the double-precision reference paths (<see cref="IDoubleForward"/>).</summary>
internal static class DoubleKernels
{
    /// <summary>The double values of <paramref name="p"/>: from <paramref name="values"/> if present, else widened from float.</summary>
    public static double[] Values(Parameter p, IReadOnlyDictionary<Parameter, double[]>? values)
    {
        if (values is not null && values.TryGetValue(p, out double[]? v))
        {
            if (v.Length != p.Value.Length)
            {
                throw new ShapeMismatchException($"Expected {p.Value.Length} double values for {p} but got {v.Length}", nameof(values));
            }
            return v;
        }
        return Widen(p.Value.Data);
    }

    public static double[] Widen(ReadOnlySpan<float> x)
    {
        var d = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            d[i] = x[i];
        }
        return d;
    }

    /// <summary>Throws unless <paramref name="input"/> holds batch × cols values; returns cols (inferred when cols is -1).</summary>
    public static int CheckInput(double[] input, int batch, int cols, string layer)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (cols < 0)
        {
            if (input.Length % batch != 0)
            {
                throw new ShapeMismatchException($"{layer}: {input.Length} values do not split into {batch} rows", nameof(input));
            }
            return input.Length / batch;
        }
        if (input.Length != batch * cols)
        {
            throw new ShapeMismatchException(
                FormattableString.Invariant($"{layer}: expected input ({batch}, {cols}) = {batch * cols} values but got {input.Length}"),
                nameof(input)
            );
        }
        return cols;
    }

    /// <summary>y += a·x.</summary>
    public static void AddScaled(Span<double> y, double a, ReadOnlySpan<double> x)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && y.Length >= Vector<double>.Count)
        {
            var va = new Vector<double>(a);
            for (; i <= y.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                (new Vector<double>(y[i..]) + va * new Vector<double>(x[i..])).CopyTo(y[i..]);
            }
        }
        for (; i < y.Length; i++)
        {
            y[i] += a * x[i];
        }
    }
}

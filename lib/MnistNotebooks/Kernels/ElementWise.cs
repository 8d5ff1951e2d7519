using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MnistNotebooks.Kernels;

/// <summary>Element-wise and broadcast kernels, vectorised (512/256/128-bit with a scalar tail). Each has a scalar
/// <c>*Reference</c> twin; activations and their fused bias forms are in ElementWise.Activations.cs.</summary>
public static partial class ElementWise
{
    /// <summary>X[r, c] += bias[c] for every row r; X is (rows, n), bias has length n.</summary>
    public static void AddRowVector(Matrix x, ReadOnlySpan<float> bias)
    {
        CheckBias(x, bias);
        for (int r = 0; r < x.Rows; r++)
        {
            Span<float> row = x.Row(r);
            VectorLoops.Map(default(AddOperator), row, bias, row);
        }
    }

    /// <summary>Reference for <see cref="AddRowVector"/>.</summary>
    public static void AddRowVectorReference(Matrix x, ReadOnlySpan<float> bias)
    {
        CheckBias(x, bias);
        for (int r = 0; r < x.Rows; r++)
        {
            Span<float> row = x.Row(r);
            for (int c = 0; c < row.Length; c++)
            {
                row[c] += bias[c];
            }
        }
    }

    /// <summary>sums[c] (+)= Σ_r X[r, c]: column sums, e.g. db += Σ_rows dY. Rows are added in order, as the reference does.</summary>
    public static void SumRows(Matrix x, Span<float> sums, bool accumulate = false)
    {
        CheckSums(x, sums, accumulate);
        for (int r = 0; r < x.Rows; r++)
        {
            VectorLoops.Map(default(AddOperator), sums, x.Row(r), sums);
        }
    }

    /// <summary>Reference for <see cref="SumRows"/>.</summary>
    public static void SumRowsReference(Matrix x, Span<float> sums, bool accumulate = false)
    {
        CheckSums(x, sums, accumulate);
        for (int r = 0; r < x.Rows; r++)
        {
            Span<float> row = x.Row(r);
            for (int c = 0; c < row.Length; c++)
            {
                sums[c] += row[c];
            }
        }
    }

    /// <summary>y += alpha · x.</summary>
    public static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        CheckSame(x.Length, y.Length);
        VectorLoops.Map(new AxpyOperator(alpha), x, y, y);
    }

    /// <summary>Reference for <see cref="Axpy"/>.</summary>
    public static void AxpyReference(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        CheckSame(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] += alpha * x[i];
        }
    }

    /// <summary>x *= alpha.</summary>
    public static void Scale(Span<float> x, float alpha) => VectorLoops.Map(new ScaleOperator(alpha), x, x);

    /// <summary>Reference for <see cref="Scale"/>.</summary>
    public static void ScaleReference(Span<float> x, float alpha)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= alpha;
        }
    }

    /// <summary>Σ x², accumulated in double (in vector lanes, so the rounding differs from the reference's by ~1e-16 relative).</summary>
    public static double SumOfSquares(ReadOnlySpan<float> x)
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length,
            i = 0;
        double s = 0;
        if (Simd.Bits >= 512)
        {
            Vector512<double> acc = Vector512<double>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                (Vector512<double> lo, Vector512<double> hi) = Vector512.Widen(Vector512.LoadUnsafe(ref xr, i));
                acc += (lo * lo) + (hi * hi);
            }
            s = Vector512.Sum(acc);
        }
        else if (Simd.Bits >= 256)
        {
            Vector256<double> acc = Vector256<double>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref xr, i));
                acc += (lo * lo) + (hi * hi);
            }
            s = Vector256.Sum(acc);
        }
        for (; i < n; i++)
        {
            double v = x[(int)i];
            s += v * v;
        }
        return s;
    }

    /// <summary>Reference for <see cref="SumOfSquares"/>.</summary>
    public static double SumOfSquaresReference(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (float v in x)
        {
            s += (double)v * v;
        }
        return s;
    }

    private static void CheckBias(Matrix x, ReadOnlySpan<float> bias)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (bias.Length != x.Cols)
        {
            throw new ShapeMismatchException($"Expected a bias of length {x.Cols} for X {x.Shape} but got {bias.Length}", nameof(bias));
        }
    }

    private static void CheckSums(Matrix x, Span<float> sums, bool accumulate)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (sums.Length != x.Cols)
        {
            throw new ShapeMismatchException($"Expected {x.Cols} sums for X {x.Shape} but got {sums.Length}", nameof(sums));
        }
        if (!accumulate)
        {
            sums.Clear();
        }
    }

    private static void CheckSame(int expected, int actual)
    {
        if (expected != actual)
        {
            throw new ArgumentException($"Expected spans of equal length but got {expected} and {actual}");
        }
    }
}

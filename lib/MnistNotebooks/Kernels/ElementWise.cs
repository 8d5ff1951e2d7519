using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MnistNotebooks.Kernels;

/// <summary>Element-wise and broadcast kernels in float or double, vectorised (512/256/128-bit with a scalar tail).
/// Each has a scalar <c>*Reference</c> twin, the loop a learner would write; outputs may be the inputs.</summary>
public static class ElementWise
{
    /// <summary>X[r, c] += bias[c] for every row r; X is (rows, n), bias has length n.</summary>
    public static void AddRowVector<T>(Matrix<T> x, ReadOnlySpan<T> bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLength(x, bias.Length, nameof(bias));
        for (int r = 0; r < x.Rows; r++)
        {
            Span<T> row = x.Row(r);
            VectorLoops.Map(default(AddOperator<T>), row, bias, row);
        }
    }

    /// <summary>Reference for <see cref="AddRowVector"/>.</summary>
    public static void AddRowVectorReference<T>(Matrix<T> x, ReadOnlySpan<T> bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLength(x, bias.Length, nameof(bias));
        for (int r = 0; r < x.Rows; r++)
        {
            Span<T> row = x.Row(r);
            for (int c = 0; c < row.Length; c++)
            {
                row[c] += bias[c];
            }
        }
    }

    /// <summary>sums[c] (+)= Σ_r X[r, c]: column sums, e.g. db += Σ_rows dY. Each column's sum starts at 0 and adds the rows
    /// in order, then is added to sums (as a matrix product adds its tile to C), so accumulating twice doubles exactly.</summary>
    public static void SumRows<T>(Matrix<T> x, Span<T> sums, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLength(x, sums.Length, nameof(sums));
        Span<T> column = sums.Length <= 1024 ? stackalloc T[sums.Length] : new T[sums.Length];
        column.Clear();
        for (int r = 0; r < x.Rows; r++)
        {
            VectorLoops.Map(default(AddOperator<T>), column, x.Row(r), column);
        }
        if (accumulate)
        {
            VectorLoops.Map(default(AddOperator<T>), sums, column, sums);
        }
        else
        {
            column.CopyTo(sums);
        }
    }

    /// <summary>Reference for <see cref="SumRows"/>.</summary>
    public static void SumRowsReference<T>(Matrix<T> x, Span<T> sums, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLength(x, sums.Length, nameof(sums));
        for (int c = 0; c < sums.Length; c++)
        {
            T sum = T.Zero;
            for (int r = 0; r < x.Rows; r++)
            {
                sum += x[r, c];
            }
            sums[c] = accumulate ? sums[c] + sum : sum;
        }
    }

    /// <summary>y += alpha · x.</summary>
    public static void Axpy<T>(T alpha, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSame(x.Length, y.Length);
        VectorLoops.Map(new AxpyOperator<T>(alpha), x, y, y);
    }

    /// <summary>Reference for <see cref="Axpy"/>.</summary>
    public static void AxpyReference<T>(T alpha, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSame(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] += alpha * x[i];
        }
    }

    /// <summary>x *= alpha.</summary>
    public static void Scale<T>(Span<T> x, T alpha)
        where T : unmanaged, IFloatingPointIeee754<T> => VectorLoops.Map(new ScaleOperator<T>(alpha), x, x);

    /// <summary>Reference for <see cref="Scale"/>.</summary>
    public static void ScaleReference<T>(Span<T> x, T alpha)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= alpha;
        }
    }

    /// <summary>z = x ⊙ y.</summary>
    public static void Multiply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSame(x.Length, y.Length);
        CheckSame(x.Length, z.Length);
        VectorLoops.Map(default(MultiplyOperator<T>), x, y, z);
    }

    /// <summary>Σ x², accumulated in double. For float, in eight double lanes: over each whole block of 16, lane j adds
    /// x[16t + j]² + x[16t + 8 + j]²; the lanes are then folded in halves (j + 4, then j + 2, then j + 1) and the rest
    /// added in index order. The order is the same at every vector width, so a clip by global norm gives the same bits
    /// on every machine; it differs from the reference's index order by ~1e-16 relative.</summary>
    public static double SumOfSquares<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float))
        {
            return SumOfSquaresReference(x);
        }
        ReadOnlySpan<float> f = MemoryMarshal.Cast<T, float>(x);
        ref float xr = ref MemoryMarshal.GetReference(f);
        nuint n = (nuint)f.Length,
            i = 0;
        Vector256<double> lanes; // lanes 0-3 + lanes 4-7, the first fold
        if (Simd.Bits >= 512)
        {
            Vector512<double> acc = Vector512<double>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                (Vector512<double> lo, Vector512<double> hi) = Vector512.Widen(Vector512.LoadUnsafe(ref xr, i));
                acc += (lo * lo) + (hi * hi);
            }
            lanes = acc.GetLower() + acc.GetUpper();
        }
        else if (Simd.Bits >= 256)
        {
            Vector256<double> acc0 = Vector256<double>.Zero,
                acc1 = Vector256<double>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                (Vector256<double> a0, Vector256<double> a1) = Vector256.Widen(Vector256.LoadUnsafe(ref xr, i));
                (Vector256<double> b0, Vector256<double> b1) = Vector256.Widen(Vector256.LoadUnsafe(ref xr, i + 8));
                acc0 += (a0 * a0) + (b0 * b0);
                acc1 += (a1 * a1) + (b1 * b1);
            }
            lanes = acc0 + acc1;
        }
        else
        {
            Vector128<double> acc0 = Vector128<double>.Zero,
                acc1 = Vector128<double>.Zero,
                acc2 = Vector128<double>.Zero,
                acc3 = Vector128<double>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                (Vector128<double> a0, Vector128<double> a1) = Vector128.Widen(Vector128.LoadUnsafe(ref xr, i));
                (Vector128<double> a2, Vector128<double> a3) = Vector128.Widen(Vector128.LoadUnsafe(ref xr, i + 4));
                (Vector128<double> b0, Vector128<double> b1) = Vector128.Widen(Vector128.LoadUnsafe(ref xr, i + 8));
                (Vector128<double> b2, Vector128<double> b3) = Vector128.Widen(Vector128.LoadUnsafe(ref xr, i + 12));
                acc0 += (a0 * a0) + (b0 * b0);
                acc1 += (a1 * a1) + (b1 * b1);
                acc2 += (a2 * a2) + (b2 * b2);
                acc3 += (a3 * a3) + (b3 * b3);
            }
            lanes = Vector256.Create(acc0 + acc2, acc1 + acc3);
        }
        Vector128<double> pairs = lanes.GetLower() + lanes.GetUpper();
        double s = pairs.GetElement(0) + pairs.GetElement(1);
        for (; i < n; i++)
        {
            double v = f[(int)i];
            s += v * v;
        }
        return s;
    }

    /// <summary>Reference for <see cref="SumOfSquares"/>: Σ x² in double, in index order.</summary>
    public static double SumOfSquaresReference<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double s = 0;
        foreach (T t in x)
        {
            double v = double.CreateTruncating(t);
            s += v * v;
        }
        return s;
    }

    /// <summary>y = max(x, 0) as numpy and PyTorch compute it: NaN stays NaN, so a blow-up is never hidden; −0 gives 0.</summary>
    public static void Relu<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Map(default(ReluOperator<T>), x, y);

    /// <summary>dx = dy where x &gt; 0, else 0. The forward output y = relu(x) works as x too.</summary>
    public static void ReluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T> => Map(default(ReluBackwardOperator<T>), x, dy, dx);

    /// <summary>y = 1 / (1 + e^(−x)); float: vector exp, relative error below 1e-6.</summary>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Map(default(SigmoidOperator<T>), x, y);

    /// <summary>dx = dy · y · (1 − y), where y = sigmoid(x) is the forward output.</summary>
    public static void SigmoidBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T> => Map(default(SigmoidBackwardOperator<T>), y, dy, dx);

    /// <summary>y = tanh(x); float: vector exp, relative error below 1e-6.</summary>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Map(default(TanhOperator<T>), x, y);

    /// <summary>dx = dy · (1 − y²), where y = tanh(x) is the forward output.</summary>
    public static void TanhBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T> => Map(default(TanhBackwardOperator<T>), y, dy, dx);

    /// <summary>Reference for <see cref="Relu"/>.</summary>
    public static void ReluReference<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSame(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = T.IsNaN(x[i]) ? x[i] : T.Max(x[i], T.Zero);
        }
    }

    /// <summary>Reference for <see cref="ReluBackward"/>.</summary>
    public static void ReluBackwardReference<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSame(x.Length, dy.Length);
        CheckSame(x.Length, dx.Length);
        for (int i = 0; i < x.Length; i++)
        {
            dx[i] = x[i] > T.Zero ? dy[i] : T.Zero;
        }
    }

    /// <summary>Reference for <see cref="Sigmoid"/>.</summary>
    public static void SigmoidReference<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSame(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = T.One / (T.One + T.Exp(-x[i]));
        }
    }

    /// <summary>Reference for <see cref="SigmoidBackward"/>.</summary>
    public static void SigmoidBackwardReference<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSame(y.Length, dy.Length);
        CheckSame(y.Length, dx.Length);
        for (int i = 0; i < y.Length; i++)
        {
            dx[i] = dy[i] * y[i] * (T.One - y[i]);
        }
    }

    /// <summary>Reference for <see cref="Tanh"/>.</summary>
    public static void TanhReference<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSame(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = T.Tanh(x[i]);
        }
    }

    /// <summary>Reference for <see cref="TanhBackward"/>.</summary>
    public static void TanhBackwardReference<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSame(y.Length, dy.Length);
        CheckSame(y.Length, dx.Length);
        for (int i = 0; i < y.Length; i++)
        {
            dx[i] = dy[i] * (T.One - (y[i] * y[i]));
        }
    }

    private static void Map<T, TOp>(TOp op, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryOperator<T>
    {
        CheckSame(x.Length, y.Length);
        VectorLoops.Map(op, x, y);
    }

    private static void Map<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryOperator<T>
    {
        CheckSame(x.Length, y.Length);
        CheckSame(x.Length, z.Length);
        VectorLoops.Map(op, x, y, z);
    }

    private static void CheckLength<T>(Matrix<T> x, int length, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        if (length != x.Cols)
        {
            throw new ShapeMismatchException(
                FormattableString.Invariant($"Expected {name} of length {x.Cols} for X {x.Shape} but got {length}"),
                name
            );
        }
    }

    private static void CheckSame(int expected, int actual)
    {
        if (expected != actual)
        {
            throw new ArgumentException(FormattableString.Invariant($"Expected spans of equal length but got {expected} and {actual}"));
        }
    }
}

using System.Globalization;
using System.Numerics;
using MnistNotebooks.Kernels;

namespace MnistNotebooks;

// numpy's array arithmetic on matrices, so that code written with numpy ports line by line: `a + b`, `2 * w - 1`,
// `x.Dot(w)`, `z > 0`, `e.Sum(axis: 0)`. Each operation returns a new matrix; results are what numpy computes
// element by element (IEEE arithmetic in T); sums add in numpy's order (see Sum).
public sealed partial class Matrix<T>
{
    /// <summary>A (rows, cols) matrix with every element <paramref name="value"/>: <c>np.full</c>.</summary>
    public static Matrix<T> Full(int rows, int cols, T value)
    {
        var m = new Matrix<T>(rows, cols);
        m.Fill(value);
        return m;
    }

    /// <summary>The outer product: C[i, j] = a[i]·b[j], (a.Length, b.Length): <c>np.outer</c>.</summary>
    public static Matrix<T> Outer(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
    {
        var c = new Matrix<T>(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
        {
            for (int j = 0; j < b.Length; j++)
            {
                c.Data[i * b.Length + j] = a[i] * b[j];
            }
        }
        return c;
    }

    /// <summary>C = A·B: <c>a.dot(b)</c> (a float or double matrix product; its summation order differs from BLAS's).</summary>
    public Matrix<T> Dot(Matrix<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var c = new Matrix<T>(Rows, other.Cols);
        MatMul.Multiply(this, other, c);
        return c;
    }

    /// <summary>Element-wise with numpy's broadcasting: each axis equal, or 1 in one operand.</summary>
    public static Matrix<T> operator +(Matrix<T> a, Matrix<T> b) => Broadcast(a, b, default(AddOperator<T>), "+");

    public static Matrix<T> operator -(Matrix<T> a, Matrix<T> b) => Broadcast(a, b, default(SubtractOperator<T>), "-");

    public static Matrix<T> operator *(Matrix<T> a, Matrix<T> b) => Broadcast(a, b, default(MultiplyOperator<T>), "*");

    public static Matrix<T> operator /(Matrix<T> a, Matrix<T> b) => Broadcast(a, b, default(DivideOperator<T>), "/");

    public static Matrix<T> operator +(Matrix<T> a, T s) => a + Scalar(s);

    public static Matrix<T> operator +(T s, Matrix<T> a) => Scalar(s) + a;

    public static Matrix<T> operator -(Matrix<T> a, T s) => a - Scalar(s);

    public static Matrix<T> operator -(T s, Matrix<T> a) => Scalar(s) - a;

    public static Matrix<T> operator *(Matrix<T> a, T s) => a * Scalar(s);

    public static Matrix<T> operator *(T s, Matrix<T> a) => Scalar(s) * a;

    public static Matrix<T> operator /(Matrix<T> a, T s) => a / Scalar(s);

    public static Matrix<T> operator /(T s, Matrix<T> a) => Scalar(s) / a;

    public static Matrix<T> operator -(Matrix<T> a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var m = new Matrix<T>(a.Rows, a.Cols);
        for (int i = 0; i < a.Data.Length; i++)
        {
            m.Data[i] = -a.Data[i];
        }
        return m;
    }

    /// <summary>1 where a &gt; b, else 0 (numpy's boolean array, as it multiplies): <c>z &gt; 0</c>.</summary>
    public static Matrix<T> operator >(Matrix<T> a, T b) => a.Map(v => v > b ? T.One : T.Zero);

    public static Matrix<T> operator <(Matrix<T> a, T b) => a.Map(v => v < b ? T.One : T.Zero);

    public static Matrix<T> operator >=(Matrix<T> a, T b) => a.Map(v => v >= b ? T.One : T.Zero);

    public static Matrix<T> operator <=(Matrix<T> a, T b) => a.Map(v => v <= b ? T.One : T.Zero);

    /// <summary>f applied to every element, in a new matrix.</summary>
    public Matrix<T> Map(Func<T, T> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        var m = new Matrix<T>(Rows, Cols);
        for (int i = 0; i < Data.Length; i++)
        {
            m.Data[i] = f(Data[i]);
        }
        return m;
    }

    /// <summary>e^x element-wise: <c>np.exp</c> (overflows to +∞ above 709.78 in double, 88.72 in float).</summary>
    public Matrix<T> Exp()
    {
        var m = new Matrix<T>(Rows, Cols);
        VectorLoops.Map(default(ExpOperator<T>), Data, m.Data);
        return m;
    }

    /// <summary>ln x element-wise: <c>np.log</c> (−∞ at 0, NaN below).</summary>
    public Matrix<T> Log() => Map(T.Log);

    /// <summary>√x element-wise: <c>np.sqrt</c>.</summary>
    public Matrix<T> Sqrt() => Map(T.Sqrt);

    /// <summary>|x| element-wise: <c>np.abs</c>.</summary>
    public Matrix<T> Abs() => Map(T.Abs);

    /// <summary>max(x, s) element-wise, NaN kept: <c>np.maximum(x, s)</c>.</summary>
    public Matrix<T> Maximum(T s)
    {
        var m = new Matrix<T>(Rows, Cols);
        for (int i = 0; i < Data.Length; i++)
        {
            T v = Data[i];
            m.Data[i] = T.IsNaN(v) || v > s ? v : s;
        }
        return m;
    }

    /// <summary>min(x, s) element-wise, NaN kept: <c>np.minimum(x, s)</c>.</summary>
    public Matrix<T> Minimum(T s)
    {
        var m = new Matrix<T>(Rows, Cols);
        for (int i = 0; i < Data.Length; i++)
        {
            T v = Data[i];
            m.Data[i] = T.IsNaN(v) || v < s ? v : s;
        }
        return m;
    }

    /// <summary>min(max(x, low), high) element-wise, NaN kept: <c>np.clip(x, low, high)</c>.</summary>
    public Matrix<T> Clip(T low, T high)
    {
        var m = new Matrix<T>(Rows, Cols);
        for (int i = 0; i < Data.Length; i++)
        {
            T v = Data[i];
            m.Data[i] =
                v < low ? low
                : v > high ? high
                : v;
        }
        return m;
    }

    /// <summary>Σ of every element in numpy's pairwise order: <c>np.sum(x)</c>.</summary>
    public T Sum() => PairwiseSum(Data);

    /// <summary>Sums along an axis, keeping two dimensions (numpy's keepdims=True): axis 0 adds the rows in order, giving
    /// (1, Cols), as numpy does; axis 1 sums each row in numpy's pairwise order, giving (Rows, 1).</summary>
    public Matrix<T> Sum(int axis)
    {
        CheckAxis(axis);
        if (axis == 0)
        {
            var s = new Matrix<T>(1, Cols);
            for (int r = 0; r < Rows; r++)
            {
                VectorLoops.Map(default(AddOperator<T>), s.Data, Row(r), s.Data);
            }
            return s;
        }
        var t = new Matrix<T>(Rows, 1);
        for (int r = 0; r < Rows; r++)
        {
            t.Data[r] = PairwiseSum(Row(r));
        }
        return t;
    }

    /// <summary>Σ / n over every element: <c>np.mean(x)</c>.</summary>
    public T Mean() => Sum() / T.CreateTruncating(Length);

    /// <summary>The mean along an axis, keeping two dimensions: <c>np.mean(x, axis, keepdims=True)</c>.</summary>
    public Matrix<T> Mean(int axis) => Sum(axis) / T.CreateTruncating(axis == 0 ? Rows : Cols);

    /// <summary>The largest element, NaN if any is NaN: <c>np.max(x)</c>.</summary>
    public T Max()
    {
        T m = T.NegativeInfinity;
        foreach (T v in Data)
        {
            m = T.Max(m, v);
        }
        return m;
    }

    /// <summary>The smallest element, NaN if any is NaN: <c>np.min(x)</c>.</summary>
    public T Min()
    {
        T m = T.PositiveInfinity;
        foreach (T v in Data)
        {
            m = T.Min(m, v);
        }
        return m;
    }

    /// <summary>The smallest element along an axis, keeping two dimensions: <c>np.min(x, axis, keepdims=True)</c>.</summary>
    public Matrix<T> Min(int axis) => -(-this).Max(axis);

    /// <summary>How many elements satisfy <paramref name="predicate"/>, e.g. <c>m.Count(v =&gt; v == 0)</c>.</summary>
    public int Count(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        int n = 0;
        foreach (T v in Data)
        {
            n += predicate(v) ? 1 : 0;
        }
        return n;
    }

    /// <summary>The largest element along an axis, keeping two dimensions: <c>np.max(x, axis, keepdims=True)</c>.</summary>
    public Matrix<T> Max(int axis)
    {
        CheckAxis(axis);
        var m = Full(axis == 0 ? 1 : Rows, axis == 0 ? Cols : 1, T.NegativeInfinity);
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Cols; c++)
            {
                ref T best = ref m.Data[axis == 0 ? c : r];
                best = T.Max(best, Data[r * Cols + c]);
            }
        }
        return m;
    }

    /// <summary>The index of the largest element along an axis (the first maximum; the first NaN wins):
    /// <c>np.argmax(x, axis)</c>, one per column for axis 0, one per row for axis 1.</summary>
    public int[] Argmax(int axis)
    {
        CheckAxis(axis);
        var best = new int[axis == 0 ? Cols : Rows];
        int outer = axis == 0 ? Cols : Rows,
            inner = axis == 0 ? Rows : Cols;
        for (int o = 0; o < outer; o++)
        {
            int k = 0;
            for (int i = 0; i < inner; i++)
            {
                T v = axis == 0 ? Data[i * Cols + o] : Data[o * Cols + i];
                T current = axis == 0 ? Data[k * Cols + o] : Data[o * Cols + k];
                if (T.IsNaN(v))
                {
                    k = i;
                    break;
                }
                if (v > current)
                {
                    k = i;
                }
            }
            best[o] = k;
        }
        return best;
    }

    /// <summary>numpy's pairwise summation of a contiguous run (numpy/core/src/umath/loops_utils.h): fewer than 8
    /// values in order; up to 128 in eight interleaved partial sums combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7))
    /// plus the rest; beyond, the two halves (cut at a multiple of 8) summed recursively.</summary>
    internal static T PairwiseSum(ReadOnlySpan<T> a)
    {
        int n = a.Length;
        if (n < 8)
        {
            T s = T.Zero;
            foreach (T v in a)
            {
                s += v;
            }
            return s;
        }
        if (n <= 128)
        {
            Span<T> r = stackalloc T[8];
            a[..8].CopyTo(r);
            int i = 8;
            for (; i < n - (n % 8); i += 8)
            {
                for (int j = 0; j < 8; j++)
                {
                    r[j] += a[i + j];
                }
            }
            T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++)
            {
                res += a[i];
            }
            return res;
        }
        int half = n / 2;
        half -= half % 8;
        return PairwiseSum(a[..half]) + PairwiseSum(a[half..]);
    }

    private static Matrix<T> Scalar(T s) => new(1, 1, [s]);

    private static Matrix<T> Broadcast<TOp>(Matrix<T> a, Matrix<T> b, TOp op, string symbol)
        where TOp : struct, IBinaryOperator<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int rows = Axis(a.Rows, b.Rows, a, b, symbol),
            cols = Axis(a.Cols, b.Cols, a, b, symbol);
        var c = new Matrix<T>(rows, cols);
        if (a.Rows == b.Rows && a.Cols == b.Cols)
        {
            VectorLoops.Map(op, a.Data, b.Data, c.Data); // same shape: one pass over the storage
            return c;
        }
        T[] rowA = a.Cols == cols ? [] : new T[cols],
            rowB = b.Cols == cols ? [] : new T[cols];
        for (int r = 0; r < rows; r++)
        {
            VectorLoops.Map(op, RowOf(a, r, rowA), RowOf(b, r, rowB), c.Row(r));
        }
        return c;
    }

    /// <summary>Row r of m as broadcast to the result: row 0 when m has one row; a column spread over the buffer.</summary>
    private static ReadOnlySpan<T> RowOf(Matrix<T> m, int r, T[] spread)
    {
        int row = m.Rows == 1 ? 0 : r;
        if (spread.Length == 0)
        {
            return m.Row(row);
        }
        if (r == 0 || m.Rows != 1) // a single value is spread once
        {
            Array.Fill(spread, m.Data[row * m.Cols]);
        }
        return spread;
    }

    private static int Axis(int x, int y, Matrix<T> a, Matrix<T> b, string symbol) =>
        x == y || y == 1 ? x
        : x == 1 ? y
        : throw new ShapeMismatchException(
            string.Create(CultureInfo.InvariantCulture, $"Cannot broadcast {a.Shape} {symbol} {b.Shape}: each axis must be equal or 1")
        );

    private static void CheckAxis(int axis)
    {
        if (axis is not (0 or 1))
        {
            throw new ArgumentOutOfRangeException(nameof(axis), axis, "Expected axis 0 (down the rows) or 1 (along each row)");
        }
    }
}

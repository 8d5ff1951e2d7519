using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace MnistNotebooks;

/// <summary>A dense matrix of float or double stored row-major in <see cref="Data"/>: element (r, c) is Data[r * Cols + c].</summary>
/// <remarks>T is float (the usual case, and what the fast kernels are tuned for) or double (numpy's default, for exact
/// reproductions and gradient checks). Operators and element-wise functions in the numpy style are in Matrix.Operators.cs.</remarks>
public sealed partial class Matrix<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    static Matrix()
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"Matrix<{typeof(T).Name}>: expected float or double");
        }
    }

    /// <summary>Creates a zero-filled (rows, cols) matrix.</summary>
    public Matrix(int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        Rows = rows;
        Cols = cols;
        Data = new T[checked(rows * cols)];
    }

    /// <summary>Wraps <paramref name="data"/> (not copied) as a (rows, cols) matrix.</summary>
    public Matrix(int rows, int cols, T[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        if (data.Length != checked(rows * cols))
        {
            throw new ShapeMismatchException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Expected {rows} × {cols} = {rows * cols} values for a ({rows}, {cols}) matrix but got {data.Length}"
                ),
                nameof(data)
            );
        }
        Rows = rows;
        Cols = cols;
        Data = data;
    }

    public int Rows { get; }

    public int Cols { get; }

    /// <summary>The row-major storage; length Rows * Cols.</summary>
    public T[] Data { get; }

    public int Length => Data.Length;

    /// <summary>The shape as text, e.g. <c>(128, 784)</c>.</summary>
    public string Shape => string.Create(CultureInfo.InvariantCulture, $"({Rows}, {Cols})");

    public ref T this[int row, int col]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)row >= (uint)Rows || (uint)col >= (uint)Cols)
            {
                ThrowIndex(row, col);
            }
            return ref Data[row * Cols + col];
        }
    }

    /// <summary>Row <paramref name="row"/> as a span of length Cols.</summary>
    public Span<T> Row(int row)
    {
        if ((uint)row >= (uint)Rows)
        {
            ThrowIndex(row, 0);
        }
        return Data.AsSpan(row * Cols, Cols);
    }

    public Span<T> AsSpan() => Data;

    /// <summary>Copies a rectangular array.</summary>
    public static Matrix<T> FromArray(T[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var m = new Matrix<T>(values.GetLength(0), values.GetLength(1));
        for (int r = 0; r < m.Rows; r++)
        {
            for (int c = 0; c < m.Cols; c++)
            {
                m.Data[r * m.Cols + c] = values[r, c];
            }
        }
        return m;
    }

    /// <summary>A copy with its own storage.</summary>
    public Matrix<T> Clone() => new(Rows, Cols, (T[])Data.Clone());

    /// <summary>A copy in another precision: float → double is exact, double → float rounds to nearest.</summary>
    public Matrix<TOther> Convert<TOther>()
        where TOther : unmanaged, IFloatingPointIeee754<TOther>
    {
        var m = new Matrix<TOther>(Rows, Cols);
        for (int i = 0; i < Data.Length; i++)
        {
            m.Data[i] = TOther.CreateTruncating(Data[i]);
        }
        return m;
    }

    /// <summary>Copies this matrix's values into <paramref name="destination"/>, which must have the same shape.</summary>
    public void CopyTo(Matrix<T> destination)
    {
        ShapeMismatchException.ThrowIfNot(destination, Rows, Cols, "destination");
        Data.AsSpan().CopyTo(destination.Data);
    }

    public void Fill(T value) => Data.AsSpan().Fill(value);

    public void Clear() => Data.AsSpan().Clear();

    /// <summary>The (rowCount, Cols) block of rows starting at <paramref name="start"/>, copied.</summary>
    public Matrix<T> SliceRows(int start, int rowCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        if (start + rowCount > Rows)
        {
            throw new ArgumentOutOfRangeException(
                nameof(rowCount),
                string.Create(CultureInfo.InvariantCulture, $"Rows {start}..{start + rowCount} are outside a matrix of shape {Shape}")
            );
        }
        var m = new Matrix<T>(rowCount, Cols);
        Data.AsSpan(start * Cols, rowCount * Cols).CopyTo(m.Data);
        return m;
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order, copied: (indices.Length, Cols).</summary>
    public Matrix<T> GatherRows(ReadOnlySpan<int> indices)
    {
        var m = new Matrix<T>(indices.Length, Cols);
        for (int i = 0; i < indices.Length; i++)
        {
            Row(indices[i]).CopyTo(m.Row(i));
        }
        return m;
    }

    /// <summary>The transpose, (Cols, Rows), copied.</summary>
    public Matrix<T> Transpose()
    {
        var t = new Matrix<T>(Cols, Rows);
        Kernels.Transposition.Apply(Data, Rows, Cols, t.Data);
        return t;
    }

    /// <summary>True when every element is finite (no NaN, no ±Infinity).</summary>
    public bool AllFinite() => FirstNonFinite(Data) < 0;

    /// <summary>The index of the first NaN or ±Infinity in <paramref name="values"/>, or −1.</summary>
    public static int FirstNonFinite(ReadOnlySpan<T> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>The C# name of T: <c>float</c> or <c>double</c>.</summary>
    public static string ElementType => typeof(T) == typeof(float) ? "float" : "double";

    public override string ToString() => $"Matrix<{ElementType}> {Shape}";

    private void ThrowIndex(int row, int col) =>
        throw new IndexOutOfRangeException(
            string.Create(CultureInfo.InvariantCulture, $"Index ({row}, {col}) is outside a matrix of shape {Shape}")
        );
}

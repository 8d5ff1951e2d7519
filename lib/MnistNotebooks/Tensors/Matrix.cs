using System.Globalization;
using System.Runtime.CompilerServices;

namespace MnistNotebooks;

/// <summary>A dense float32 matrix stored row-major in <see cref="Data"/>: element (r, c) is Data[r * Cols + c].</summary>
public sealed class Matrix
{
    /// <summary>Creates a zero-filled (rows, cols) matrix.</summary>
    public Matrix(int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        Rows = rows;
        Cols = cols;
        Data = new float[checked(rows * cols)];
    }

    /// <summary>Wraps <paramref name="data"/> (not copied) as a (rows, cols) matrix.</summary>
    public Matrix(int rows, int cols, float[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        if (data.Length != checked(rows * cols))
        {
            throw new ShapeMismatchException(
                $"Expected {rows} × {cols} = {rows * cols} values for a ({rows}, {cols}) matrix but got {data.Length}",
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
    public float[] Data { get; }

    public int Length => Data.Length;

    /// <summary>The shape as text, e.g. <c>(128, 784)</c>.</summary>
    public string Shape => string.Create(CultureInfo.InvariantCulture, $"({Rows}, {Cols})");

    public ref float this[int row, int col]
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
    public Span<float> Row(int row)
    {
        if ((uint)row >= (uint)Rows)
        {
            ThrowIndex(row, 0);
        }
        return Data.AsSpan(row * Cols, Cols);
    }

    public Span<float> AsSpan() => Data;

    /// <summary>A (rows, cols) matrix of zeros.</summary>
    public static Matrix Zeros(int rows, int cols) => new(rows, cols);

    /// <summary>Copies a rectangular array.</summary>
    public static Matrix FromArray(float[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var m = new Matrix(values.GetLength(0), values.GetLength(1));
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
    public Matrix Clone() => new(Rows, Cols, (float[])Data.Clone());

    /// <summary>Copies this matrix's values into <paramref name="destination"/>, which must have the same shape.</summary>
    public void CopyTo(Matrix destination)
    {
        ShapeMismatchException.ThrowIfNot(destination, Rows, Cols, "destination");
        Data.AsSpan().CopyTo(destination.Data);
    }

    public void Fill(float value) => Data.AsSpan().Fill(value);

    public void Clear() => Data.AsSpan().Clear();

    /// <summary>The (rowCount, Cols) block of rows starting at <paramref name="start"/>, copied.</summary>
    public Matrix SliceRows(int start, int rowCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        if (start + rowCount > Rows)
        {
            throw new ArgumentOutOfRangeException(
                nameof(rowCount),
                $"Rows {start}..{start + rowCount} are outside a matrix of shape {Shape}"
            );
        }
        var m = new Matrix(rowCount, Cols);
        Data.AsSpan(start * Cols, rowCount * Cols).CopyTo(m.Data);
        return m;
    }

    /// <summary>The transpose, (Cols, Rows), copied.</summary>
    public Matrix Transpose()
    {
        var t = new Matrix(Cols, Rows);
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Cols; c++)
            {
                t.Data[c * Rows + r] = Data[r * Cols + c];
            }
        }
        return t;
    }

    /// <summary>True when every element is finite (no NaN, no ±Infinity).</summary>
    public bool AllFinite()
    {
        foreach (float v in Data)
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }
        return true;
    }

    public override string ToString() => $"Matrix {Shape}";

    private void ThrowIndex(int row, int col) =>
        throw new IndexOutOfRangeException($"Index ({row}, {col}) is outside a matrix of shape {Shape}");
}

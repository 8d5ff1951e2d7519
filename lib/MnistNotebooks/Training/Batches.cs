using System.Numerics;

namespace MnistNotebooks.Training;

/// <summary>Batches of a data set, gathered into buffers allocated once (one for full batches, one for the last,
/// smaller batch); a batch as large as the data set is the data itself, uncopied.</summary>
internal sealed class Batches<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> x;
    private readonly int[] labels;
    private readonly Matrix<T> fullX,
        partialX;
    private readonly int[] fullY,
        partialY;

    public Batches(Matrix<T> x, int[] labels, int batchSize)
    {
        this.x = x;
        this.labels = labels;
        Size = Math.Min(batchSize, x.Rows);
        IsWhole = Size == x.Rows;
        Count = (x.Rows + Size - 1) / Size;
        fullX = IsWhole ? x : new Matrix<T>(Size, x.Cols);
        fullY = IsWhole ? labels : new int[Size];
        int remainder = x.Rows % Size;
        partialX = remainder == 0 ? fullX : new Matrix<T>(remainder, x.Cols);
        partialY = remainder == 0 ? fullY : new int[remainder];
    }

    /// <summary>The labels of the whole data set, in its order.</summary>
    public int[] Labels => labels;

    /// <summary>Rows per batch (the last may have fewer).</summary>
    public int Size { get; }

    public int Count { get; }

    /// <summary>True when one batch holds the whole data set.</summary>
    public bool IsWhole { get; }

    /// <summary>Batch <paramref name="s"/> of the rows in order: rows [s·Size, …).</summary>
    public (Matrix<T> X, int[] Y, int Offset) Contiguous(int s)
    {
        int offset = s * Size;
        (Matrix<T> xb, int[] yb) = Buffers(offset);
        if (xb != x)
        {
            x.Data.AsSpan(offset * x.Cols, xb.Length).CopyTo(xb.Data);
            labels.AsSpan(offset, yb.Length).CopyTo(yb);
        }
        return (xb, yb, offset);
    }

    /// <summary>Batch <paramref name="s"/> of the rows taken in <paramref name="order"/>.</summary>
    public (Matrix<T> X, int[] Y) Gathered(int s, int[] order)
    {
        int offset = s * Size;
        (Matrix<T> xb, int[] yb) = Buffers(offset);
        if (xb != x)
        {
            Kernels.RowGather.Gather(x, order, offset, xb);
            for (int i = 0; i < yb.Length; i++)
            {
                yb[i] = labels[order[offset + i]];
            }
        }
        return (xb, yb);
    }

    private (Matrix<T>, int[]) Buffers(int offset) => x.Rows - offset >= Size ? (fullX, fullY) : (partialX, partialY);
}

using System.Numerics;

namespace MnistNotebooks.Losses;

/// <summary>A mean loss turned into a sum over the batch: L = batch·inner(Z, y) = Σ_r ℓ_r, dZ = batch·inner's dZ (no ÷ batch).
/// Z is (batch, classes). Its gradient grows with the batch, so Sgd on it with α equals Sgd on the mean with α·batch.
/// Unlike other losses, Forward returns the sum, not the mean (a Trainer's recorded losses are then sums too).</summary>
public sealed class SummedOverBatch<T>(ILoss<T> inner) : ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILoss<T> inner = inner ?? throw new ArgumentNullException(nameof(inner));
    private Matrix<T>? gradient;
    private int rows;

    /// <summary>The mean loss whose sum this is.</summary>
    public ILoss<T> Inner => inner;

    /// <summary>Σ over the rows of the inner loss: batch × its mean.</summary>
    public T Forward(Matrix<T> output, ReadOnlySpan<int> labels)
    {
        T mean = inner.Forward(output, labels);
        rows = output.Rows;
        return mean * T.CreateTruncating(rows);
    }

    /// <summary>batch × the inner loss's dZ, (batch, classes); owned by this loss and reused.</summary>
    public Matrix<T> Backward()
    {
        Matrix<T> g = inner.Backward();
        if (gradient is null || gradient.Rows != g.Rows || gradient.Cols != g.Cols)
        {
            gradient = new Matrix<T>(g.Rows, g.Cols);
        }
        T scale = T.CreateTruncating(rows);
        Span<T> source = g.Data,
            target = gradient.Data;
        for (int i = 0; i < source.Length; i++)
        {
            target[i] = source[i] * scale;
        }
        return gradient;
    }

    public ILoss<TOther> Convert<TOther>()
        where TOther : unmanaged, IFloatingPointIeee754<TOther> => new SummedOverBatch<TOther>(inner.Convert<TOther>());
}

using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Metrics;

namespace MnistNotebooks.Training;

/// <summary>Forward-only passes over contiguous batches, with buffers allocated once.</summary>
internal sealed class BatchEvaluator
{
    private readonly Matrix x;
    private readonly int[] labels;
    private readonly Matrix batchX,
        partialX;
    private readonly int[] batchY,
        partialY;
    private readonly int batchSize;

    public BatchEvaluator(Matrix x, int[] labels, int batchSize)
    {
        this.x = x;
        this.labels = labels;
        this.batchSize = Math.Min(batchSize, x.Rows);
        bool whole = this.batchSize == x.Rows;
        batchX = whole ? x : new Matrix(this.batchSize, x.Cols);
        batchY = whole ? labels : new int[this.batchSize];
        int remainder = x.Rows % this.batchSize;
        partialX = remainder == 0 ? batchX : new Matrix(remainder, x.Cols);
        partialY = remainder == 0 ? batchY : new int[remainder];
    }

    /// <summary>Mean loss (NaN without a loss) and correct count; <paramref name="onBatch"/> sees (offset, outputs).</summary>
    public (double Loss, int Correct) Run(ILayer model, ILoss? loss, Action<int, Matrix>? onBatch)
    {
        double lossSum = 0;
        int correct = 0;
        for (int offset = 0; offset < x.Rows; offset += batchSize)
        {
            int count = Math.Min(batchSize, x.Rows - offset);
            Matrix xb = count == batchSize ? batchX : partialX;
            int[] yb = count == batchSize ? batchY : partialY;
            if (xb != x)
            {
                x.Data.AsSpan(offset * x.Cols, count * x.Cols).CopyTo(xb.Data);
                labels.AsSpan(offset, count).CopyTo(yb);
            }
            Matrix y = model.Forward(xb);
            if (loss is not null)
            {
                lossSum += (double)loss.Forward(y, yb) * count;
            }
            correct += Predictions.CountCorrect(y, yb);
            onBatch?.Invoke(offset, y);
        }
        return (loss is null ? double.NaN : lossSum / x.Rows, correct);
    }
}

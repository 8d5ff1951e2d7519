using System.Numerics;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Metrics;

namespace MnistNotebooks.Training;

/// <summary>Forward-only passes over contiguous batches, with buffers allocated once.</summary>
internal sealed class BatchEvaluator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> x;
    private readonly int[] labels;
    private readonly Batches<T> batches;

    public BatchEvaluator(Matrix<T> x, int[] labels, int batchSize)
    {
        this.x = x;
        this.labels = labels;
        batches = new Batches<T>(x, labels, batchSize);
    }

    /// <summary>Mean loss (NaN without a loss) and correct count; <paramref name="onBatch"/> sees (offset, outputs).
    /// The model runs in evaluation mode and is put back in the mode it was in.</summary>
    public (double Loss, int Correct) Run(Layer<T> model, ILoss<T>? loss, Action<int, Matrix<T>>? onBatch)
    {
        double lossSum = 0;
        int correct = 0;
        bool training = model.Training;
        model.Training = false;
        try
        {
            for (int s = 0; s < batches.Count; s++)
            {
                (Matrix<T> xb, int[] yb, int offset) = batches.Contiguous(s);
                Matrix<T> y = model.Forward(xb);
                if (loss is not null)
                {
                    lossSum += double.CreateTruncating(loss.Forward(y, yb)) * xb.Rows;
                }
                correct += Predictions.CountCorrect(y, yb);
                onBatch?.Invoke(offset, y);
            }
        }
        finally
        {
            model.Training = training;
        }
        return (loss is null ? double.NaN : lossSum / x.Rows, correct);
    }
}

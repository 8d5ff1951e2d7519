using MnistNotebooks.Layers;

namespace MnistNotebooks.Losses;

/// <summary>Softmax and cross-entropy fused and stable: L = −(1/batch)·Σ_r log softmax(Z)[r, y_r], with log-softmax
/// by log-sum-exp (the row max subtracted), so finite and exact even for logits of ±1e4.
/// Backward: dZ = (P − onehot(y)) / batch. Z and P are (batch, classes); the model's last layer stays linear.</summary>
public sealed class SoftmaxCrossEntropy : ILoss, IDoubleLoss
{
    private readonly BufferCache probabilities = new();
    private readonly BufferCache logProbabilities = new();
    private readonly BufferCache gradients = new();
    private Matrix? lastProbabilities;
    private int[]? labels;

    /// <summary>softmax(Z) of the last Forward, (batch, classes), rows summing to 1 (owned by the loss and reused).</summary>
    public Matrix Probabilities => lastProbabilities ?? throw new InvalidOperationException("Probabilities are available after Forward");

    /// <summary>Mean of −log softmax(Z)[r, y_r] over the rows; Z is (batch, classes) logits.</summary>
    public float Forward(Matrix output, ReadOnlySpan<int> labels)
    {
        LossChecks.Labels(output, labels, "logits");
        Matrix logp = logProbabilities.Get(output.Rows, output.Cols);
        Matrix p = probabilities.Get(output.Rows, output.Cols);
        Kernels.Softmax.LogRows(output, logp);
        Kernels.Softmax.Rows(output, p);
        double sum = 0;
        for (int r = 0; r < output.Rows; r++)
        {
            sum -= logp.Data[r * output.Cols + labels[r]];
        }
        lastProbabilities = p;
        this.labels = LossChecks.Keep(labels, this.labels);
        return (float)(sum / output.Rows);
    }

    /// <summary>dZ = (P − onehot(y)) / batch.</summary>
    public Matrix Backward()
    {
        Matrix p = lastProbabilities ?? throw new InvalidOperationException("Backward was called before Forward");
        int[] y = labels!;
        Matrix g = gradients.Get(p.Rows, p.Cols);
        float inv = 1f / p.Rows;
        for (int r = 0; r < p.Rows; r++)
        {
            Span<float> pr = p.Row(r);
            Span<float> gr = g.Row(r);
            for (int c = 0; c < pr.Length; c++)
            {
                gr[c] = (pr[c] - (c == y[r] ? 1f : 0f)) * inv;
            }
        }
        return g;
    }

    /// <summary>The same loss in double by log-sum-exp, the reference for gradient checks.</summary>
    public double ForwardDouble(double[] output, int batch, ReadOnlySpan<int> labels)
    {
        int classes = LossChecks.DoubleOutput(output, batch, labels);
        double total = 0;
        for (int r = 0; r < batch; r++)
        {
            ReadOnlySpan<double> z = output.AsSpan(r * classes, classes);
            double max = double.NegativeInfinity;
            foreach (double v in z)
            {
                max = Math.Max(max, v);
            }
            double sum = 0;
            foreach (double v in z)
            {
                sum += Math.Exp(v - max);
            }
            total += max + Math.Log(sum) - z[labels[r]];
        }
        return total / batch;
    }
}

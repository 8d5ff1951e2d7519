using System.Numerics;
using MnistNotebooks.Layers;

namespace MnistNotebooks.Losses;

/// <summary>Softmax and cross-entropy fused and stable: L = −(1/batch)·Σ_r log softmax(Z)[r, y_r], with log-softmax
/// by log-sum-exp (the row max subtracted), so finite and exact even for logits of ±1e4.
/// Backward: dZ = (P − onehot(y)) / batch. Z and P are (batch, classes); the model's last layer stays linear.</summary>
public class SoftmaxCrossEntropy<T> : ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> probabilities = new();
    private readonly BufferCache<T> logProbabilities = new();
    private readonly BufferCache<T> gradients = new();
    private Matrix<T>? lastProbabilities;
    private int[]? labels;

    /// <summary>softmax(Z) of the last Forward, (batch, classes), rows summing to 1 (owned by the loss and reused).</summary>
    public Matrix<T> Probabilities => lastProbabilities ?? throw new InvalidOperationException("Probabilities are available after Forward");

    /// <summary>Mean of −log softmax(Z)[r, y_r] over the rows (summed in double); Z is (batch, classes) logits.</summary>
    public T Forward(Matrix<T> output, ReadOnlySpan<int> labels)
    {
        LossChecks.Labels(output, labels, "logits");
        Matrix<T> logp = logProbabilities.Get(output.Rows, output.Cols);
        Matrix<T> p = probabilities.Get(output.Rows, output.Cols);
        Kernels.Softmax.LogRows(output, logp);
        Kernels.Softmax.Rows(output, p);
        double sum = 0;
        for (int r = 0; r < output.Rows; r++)
        {
            sum -= double.CreateTruncating(logp[r, labels[r]]);
        }
        lastProbabilities = p;
        this.labels = LossChecks.Keep(labels, this.labels);
        return T.CreateTruncating(sum / output.Rows);
    }

    /// <summary>dZ = (P − onehot(y)) / batch.</summary>
    public Matrix<T> Backward()
    {
        Matrix<T> p = lastProbabilities ?? throw new InvalidOperationException("Backward was called before Forward");
        int[] y = labels!;
        Matrix<T> g = gradients.Get(p.Rows, p.Cols);
        T inverse = T.One / T.CreateTruncating(p.Rows);
        for (int r = 0; r < p.Rows; r++)
        {
            Span<T> pr = p.Row(r);
            Span<T> gr = g.Row(r);
            for (int c = 0; c < pr.Length; c++)
            {
                gr[c] = (pr[c] - (c == y[r] ? T.One : T.Zero)) * inverse;
            }
        }
        return g;
    }

    public ILoss<TOther> Convert<TOther>()
        where TOther : unmanaged, IFloatingPointIeee754<TOther> => new SoftmaxCrossEntropy<TOther>();
}

/// <summary><see cref="SoftmaxCrossEntropy{T}"/> in float32.</summary>
public sealed class SoftmaxCrossEntropy : SoftmaxCrossEntropy<float>;

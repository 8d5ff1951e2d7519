using MnistNotebooks.Layers;

namespace MnistNotebooks.Losses;

/// <summary>The textbook cross-entropy on probabilities, WITHOUT any guard: L = −(1/batch)·Σ_r Σ_c Y[r, c]·log P[r, c]
/// over one-hot Y, in float32; dP = −Y / (P·batch). Deliberately fragile, like numpy's <c>np.sum(-y * np.log(a))</c>:
/// log(0) = −∞ makes L = +∞, and 0·log(0) = 0·(−∞) = NaN for any class whose probability underflowed to 0.
/// Pair with <see cref="NaiveSoftmax"/> to reproduce seed 002; train with <see cref="SoftmaxCrossEntropy"/>.</summary>
public sealed class NaiveCrossEntropy : ILoss, IDoubleLoss
{
    private readonly BufferCache gradients = new();
    private Matrix? probabilities;
    private int[]? labels;

    /// <summary>−(1/batch)·Σ Y·log P, every class included (as numpy does), accumulated in float32.</summary>
    public float Forward(Matrix output, ReadOnlySpan<int> labels)
    {
        LossChecks.Labels(output, labels, "probabilities");
        float sum = 0;
        for (int r = 0; r < output.Rows; r++)
        {
            Span<float> p = output.Row(r);
            for (int c = 0; c < p.Length; c++)
            {
                float y = c == labels[r] ? 1f : 0f;
                sum += -y * MathF.Log(p[c]);
            }
        }
        probabilities = output;
        this.labels = LossChecks.Keep(labels, this.labels);
        return sum / output.Rows;
    }

    /// <summary>dP = −Y / (P·batch): −∞ where the target's P is 0, NaN (0/0) where another class's P is 0.</summary>
    public Matrix Backward()
    {
        Matrix p = probabilities ?? throw new InvalidOperationException("Backward was called before Forward");
        int[] y = labels!;
        Matrix g = gradients.Get(p.Rows, p.Cols);
        float batch = p.Rows;
        for (int r = 0; r < p.Rows; r++)
        {
            for (int c = 0; c < p.Cols; c++)
            {
                float t = c == y[r] ? 1f : 0f;
                g.Data[r * p.Cols + c] = -t / (p.Data[r * p.Cols + c] * batch);
            }
        }
        return g;
    }

    /// <summary>The same formula in double (still unguarded), the reference for gradient checks.</summary>
    public double ForwardDouble(double[] output, int batch, ReadOnlySpan<int> labels)
    {
        int classes = LossChecks.DoubleOutput(output, batch, labels);
        double sum = 0;
        for (int r = 0; r < batch; r++)
        {
            for (int c = 0; c < classes; c++)
            {
                double y = c == labels[r] ? 1.0 : 0.0;
                sum += -y * Math.Log(output[r * classes + c]);
            }
        }
        return sum / batch;
    }
}

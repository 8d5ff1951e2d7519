using System.Numerics;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;

namespace MnistNotebooks.Course;

/// <summary>The textbook cross-entropy on probabilities, WITHOUT any guard: L = −(1/batch)·Σ_r Σ_c Y[r, c]·log P[r, c]
/// over one-hot Y, accumulated in T; dP = −Y / (P·batch). Deliberately fragile, like numpy's <c>np.sum(-y * np.log(a))</c>:
/// log(0) = −∞ makes L = +∞, and 0·log(0) = 0·(−∞) = NaN for any class whose probability underflowed to 0.
/// Train with <see cref="SoftmaxCrossEntropy{T}"/>.</summary>
public sealed class NaiveCrossEntropy<T> : ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> gradients = new();
    private Matrix<T>? probabilities;
    private int[]? labels;

    /// <summary>−(1/batch)·Σ Y·log P, every class included (as numpy does).</summary>
    public T Forward(Matrix<T> output, ReadOnlySpan<int> labels)
    {
        LossChecks.Labels(output, labels, "probabilities");
        T sum = T.Zero;
        for (int r = 0; r < output.Rows; r++)
        {
            Span<T> p = output.Row(r);
            for (int c = 0; c < p.Length; c++)
            {
                T y = c == labels[r] ? T.One : T.Zero;
                sum += -y * T.Log(p[c]);
            }
        }
        probabilities = output;
        this.labels = LossChecks.Keep(labels, this.labels);
        return sum / T.CreateTruncating(output.Rows);
    }

    /// <summary>dP = −Y / (P·batch): −∞ where the target's P is 0, NaN (0/0) where another class's P is 0.</summary>
    public Matrix<T> Backward()
    {
        Matrix<T> p = probabilities ?? throw new InvalidOperationException("Backward was called before Forward");
        int[] y = labels!;
        Matrix<T> g = gradients.Get(p.Rows, p.Cols);
        T batch = T.CreateTruncating(p.Rows);
        for (int r = 0; r < p.Rows; r++)
        {
            for (int c = 0; c < p.Cols; c++)
            {
                T t = c == y[r] ? T.One : T.Zero;
                g[r, c] = -t / (p[r, c] * batch);
            }
        }
        return g;
    }

    public ILoss<TOther> Convert<TOther>()
        where TOther : unmanaged, IFloatingPointIeee754<TOther> => new NaiveCrossEntropy<TOther>();
}

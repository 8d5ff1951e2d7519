using System.Numerics;
using MnistNotebooks.Layers;

namespace MnistNotebooks.Course;

/// <summary>The textbook softmax, WITHOUT the max subtraction: P = exp(Z) / Σ exp(Z) over each row (or, to show the
/// wrong axis, over each column); dZ = P ⊙ (dP − Σ dP ⊙ P) along the same axis. Deliberately unstable: exp overflows
/// to +∞ above about 88.72 in float32 and 709.78 in float64, and ∞/∞ = NaN. Train with
/// <see cref="Losses.SoftmaxCrossEntropy{T}"/>.</summary>
public sealed class NaiveSoftmax<T>(bool overSamples = false, string? name = null) : Layer<T>("softmax", name)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> outputs = new();
    private readonly BufferCache<T> inputGradients = new();
    private Matrix<T>? output;

    /// <summary>True normalises each column, over the samples of the batch (numpy's built-in <c>sum</c> on a
    /// (samples, classes) array): the probabilities of a sample then depend on the other samples.</summary>
    public bool OverSamples { get; } = overSamples;

    /// <summary>P[r, c] = exp(Z[r, c]) / Σ_k exp(Z[r, k]), no max subtraction, no guard.</summary>
    public static void Rows(Matrix<T> logits, Matrix<T> probabilities) => Normalise(logits, probabilities, overSamples: false);

    /// <summary>P[r, c] = exp(Z[r, c]) / Σ_k exp(Z[k, c]): each column sums to 1, the wrong axis.</summary>
    public static void Columns(Matrix<T> logits, Matrix<T> probabilities) => Normalise(logits, probabilities, overSamples: true);

    public override Matrix<T> Forward(Matrix<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Matrix<T> p = outputs.Get(input.Rows, input.Cols);
        Normalise(input, p, OverSamples);
        output = p;
        return p;
    }

    /// <summary>dZ = P ⊙ (dP − Σ dP ⊙ P), the sum along the axis Forward normalised (the softmax Jacobian applied to dP).</summary>
    public override Matrix<T> Backward(Matrix<T> outputGradient)
    {
        Matrix<T> p = output ?? throw new InvalidOperationException($"Backward of '{Name}' was called before Forward");
        ShapeMismatchException.ThrowIfNot(outputGradient, p.Rows, p.Cols, "outputGradient");
        Matrix<T> dz = inputGradients.Get(p.Rows, p.Cols);
        int groups = OverSamples ? p.Cols : p.Rows,
            length = OverSamples ? p.Rows : p.Cols;
        for (int g = 0; g < groups; g++)
        {
            T dot = T.Zero;
            for (int k = 0; k < length; k++)
            {
                int i = OverSamples ? k * p.Cols + g : g * p.Cols + k;
                dot += outputGradient.Data[i] * p.Data[i];
            }
            for (int k = 0; k < length; k++)
            {
                int i = OverSamples ? k * p.Cols + g : g * p.Cols + k;
                dz.Data[i] = p.Data[i] * (outputGradient.Data[i] - dot);
            }
        }
        return dz;
    }

    public override Layer<TOther> Convert<TOther>() => new NaiveSoftmax<TOther>(OverSamples, NameForCopy);

    private static void Normalise(Matrix<T> logits, Matrix<T> probabilities, bool overSamples)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ShapeMismatchException.ThrowIfNot(probabilities, logits.Rows, logits.Cols, "probabilities");
        var sums = new T[overSamples ? logits.Cols : logits.Rows];
        for (int i = 0; i < logits.Length; i++)
        {
            probabilities.Data[i] = T.Exp(logits.Data[i]);
            sums[overSamples ? i % logits.Cols : i / logits.Cols] += probabilities.Data[i];
        }
        for (int i = 0; i < logits.Length; i++)
        {
            probabilities.Data[i] /= sums[overSamples ? i % logits.Cols : i / logits.Cols];
        }
    }
}

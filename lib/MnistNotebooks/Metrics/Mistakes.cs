using System.Globalization;
using System.Numerics;

namespace MnistNotebooks.Metrics;

/// <summary>A wrong prediction: sample <see cref="Index"/> of class <see cref="Actual"/> predicted as
/// <see cref="Predicted"/> with softmax probability <see cref="Confidence"/>; <see cref="ActualProbability"/>
/// is the probability the model gave the true class.</summary>
public sealed record Mistake(int Index, int Actual, int Predicted, double Confidence, double ActualProbability)
{
    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"#{Index}: true {Actual}, predicted {Predicted} with p = {Confidence:0.0000} (p(true) = {ActualProbability:0.0000})"
        );
}

/// <summary>The most confident mistakes: the wrong predictions ranked by the probability the model gave them.</summary>
public static class Mistakes
{
    /// <summary>The wrong predictions of (n, classes) <paramref name="outputs"/>, sorted by confidence descending
    /// (ties: lower index first), at most <paramref name="count"/> of them. Outputs are logits turned into
    /// probabilities with a stable softmax, unless <paramref name="outputsAreProbabilities"/>.</summary>
    public static IReadOnlyList<Mistake> MostConfident<T>(
        Matrix<T> outputs,
        ReadOnlySpan<int> labels,
        int count = 10,
        bool outputsAreProbabilities = false
    )
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Predictions.CheckLength(outputs.Rows, labels.Length);
        Matrix<T> p = outputs;
        if (!outputsAreProbabilities)
        {
            p = new Matrix<T>(outputs.Rows, outputs.Cols);
            Kernels.Softmax.Rows(outputs, p);
        }
        var mistakes = new List<Mistake>();
        for (int r = 0; r < p.Rows; r++)
        {
            ReadOnlySpan<T> row = p.Row(r);
            int predicted = Predictions.Argmax(row);
            if (predicted != labels[r])
            {
                mistakes.Add(
                    new Mistake(
                        r,
                        labels[r],
                        predicted,
                        double.CreateTruncating(row[predicted]),
                        (uint)labels[r] < (uint)row.Length ? double.CreateTruncating(row[labels[r]]) : double.NaN
                    )
                );
            }
        }
        mistakes.Sort(static (a, b) => a.Confidence != b.Confidence ? b.Confidence.CompareTo(a.Confidence) : a.Index.CompareTo(b.Index));
        return mistakes.Count > count ? mistakes.GetRange(0, count) : mistakes;
    }
}

using System.Numerics;

namespace MnistNotebooks.Metrics;

/// <summary>Accuracy = (number of predictions equal to the label) / n, in [0, 1]. NaN for n = 0.</summary>
public static class Accuracy
{
    /// <summary>The fraction of <paramref name="predictions"/> equal to <paramref name="labels"/>.</summary>
    public static double Of(ReadOnlySpan<int> predictions, ReadOnlySpan<int> labels)
    {
        Predictions.CheckLength(predictions.Length, labels.Length);
        if (labels.Length == 0)
        {
            return double.NaN;
        }
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (predictions[i] == labels[i])
            {
                correct++;
            }
        }
        return (double)correct / labels.Length;
    }

    /// <summary>The accuracy of the row-wise argmax of (n, classes) <paramref name="outputs"/>.</summary>
    public static double Of<T>(Matrix<T> outputs, ReadOnlySpan<int> labels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(outputs);
        return labels.Length == 0 && outputs.Rows == 0 ? double.NaN : (double)Predictions.CountCorrect(outputs, labels) / labels.Length;
    }

    /// <summary>Accuracy within each true class 0..classes−1 (NaN for a class with no samples); see <see cref="ConfusionMatrix.PerClassAccuracy"/>.</summary>
    public static double[] PerClass(ReadOnlySpan<int> predictions, ReadOnlySpan<int> labels, int classes = 10) =>
        ConfusionMatrix.From(predictions, labels, classes).PerClassAccuracy();
}

using System.Numerics;

namespace MnistNotebooks.Metrics;

/// <summary>Predicted classes from model outputs: the argmax of each row.</summary>
/// <remarks>Ties go to the lowest index (the first maximum wins). The first NaN wins, as in numpy's and PyTorch's argmax:
/// a network with a NaN output must not look as if it predicted something sensible.
/// The argmax of logits equals the argmax of their softmax, so outputs need not be probabilities.</remarks>
public static class Predictions
{
    /// <summary>The index of the largest value in <paramref name="row"/>; ties → lowest index; the first NaN, if any, wins.</summary>
    public static int Argmax<T>(ReadOnlySpan<T> row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int best = 0;
        for (int c = 0; c < row.Length; c++)
        {
            T v = row[c];
            if (T.IsNaN(v))
            {
                return c;
            }
            if (v > row[best])
            {
                best = c;
            }
        }
        return best;
    }

    /// <summary>predictions[r] = argmax(outputs[r, :]); outputs is (n, classes), predictions has length n.</summary>
    public static void Argmax<T>(Matrix<T> outputs, Span<int> predictions)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (predictions.Length != outputs.Rows)
        {
            throw new ArgumentException(
                $"Expected {outputs.Rows} predictions for outputs {outputs.Shape} but got {predictions.Length}",
                nameof(predictions)
            );
        }
        for (int r = 0; r < outputs.Rows; r++)
        {
            predictions[r] = Argmax<T>(outputs.Row(r));
        }
    }

    /// <summary>The row-wise argmax of (n, classes) outputs, as a new array of length n.</summary>
    public static int[] Argmax<T>(Matrix<T> outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var predictions = new int[outputs.Rows];
        Argmax(outputs, predictions);
        return predictions;
    }

    /// <summary>How many rows of <paramref name="outputs"/> have their argmax equal to the label. Allocation-free.</summary>
    public static int CountCorrect<T>(Matrix<T> outputs, ReadOnlySpan<int> labels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(outputs);
        CheckLength(outputs.Rows, labels.Length);
        int correct = 0;
        for (int r = 0; r < outputs.Rows; r++)
        {
            if (Argmax<T>(outputs.Row(r)) == labels[r])
            {
                correct++;
            }
        }
        return correct;
    }

    internal static void CheckLength(int expected, int found)
    {
        if (expected != found)
        {
            throw new ArgumentException($"Expected {expected} labels but got {found}", "labels");
        }
    }
}

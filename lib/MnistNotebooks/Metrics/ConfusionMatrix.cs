using System.Globalization;
using System.Numerics;
using System.Text;

namespace MnistNotebooks.Metrics;

/// <summary>Counts of (true class, predicted class) pairs: rows are the true class, columns the predicted class,
/// so the diagonal holds the correct predictions and row c sums to the number of samples of class c.</summary>
public sealed class ConfusionMatrix
{
    private readonly int[] counts;

    /// <summary>An empty (classes × classes) confusion matrix.</summary>
    public ConfusionMatrix(int classes = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        Classes = classes;
        counts = new int[classes * classes];
    }

    /// <summary>The confusion matrix of <paramref name="predicted"/> against <paramref name="actual"/> labels.</summary>
    public static ConfusionMatrix From(ReadOnlySpan<int> predicted, ReadOnlySpan<int> actual, int classes = 10)
    {
        Predictions.CheckLength(predicted.Length, actual.Length);
        var m = new ConfusionMatrix(classes);
        for (int i = 0; i < actual.Length; i++)
        {
            m.Add(actual[i], predicted[i]);
        }
        return m;
    }

    /// <summary>The confusion matrix of the row-wise argmax of (n, classes) <paramref name="outputs"/>.</summary>
    public static ConfusionMatrix From<T>(Matrix<T> outputs, ReadOnlySpan<int> actual)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(outputs);
        Predictions.CheckLength(outputs.Rows, actual.Length);
        var m = new ConfusionMatrix(outputs.Cols);
        for (int r = 0; r < outputs.Rows; r++)
        {
            m.Add(actual[r], Predictions.Argmax<T>(outputs.Row(r)));
        }
        return m;
    }

    public int Classes { get; }

    /// <summary>The number of samples of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public int this[int actual, int predicted]
    {
        get
        {
            CheckClass(actual, nameof(actual));
            CheckClass(predicted, nameof(predicted));
            return counts[actual * Classes + predicted];
        }
    }

    /// <summary>Counts one sample.</summary>
    public void Add(int actual, int predicted)
    {
        CheckClass(actual, nameof(actual));
        CheckClass(predicted, nameof(predicted));
        counts[actual * Classes + predicted]++;
    }

    /// <summary>All samples counted.</summary>
    public int Total => counts.Sum();

    /// <summary>The diagonal sum: correct predictions.</summary>
    public int Correct
    {
        get
        {
            int s = 0;
            for (int c = 0; c < Classes; c++)
            {
                s += counts[c * Classes + c];
            }
            return s;
        }
    }

    /// <summary>Correct / Total; NaN when empty.</summary>
    public double Accuracy => Total == 0 ? double.NaN : (double)Correct / Total;

    /// <summary>Samples per true class (row sums).</summary>
    public int[] ActualCounts()
    {
        var s = new int[Classes];
        for (int a = 0; a < Classes; a++)
        {
            for (int p = 0; p < Classes; p++)
            {
                s[a] += counts[a * Classes + p];
            }
        }
        return s;
    }

    /// <summary>Predictions per class (column sums): the histogram of predicted digits.</summary>
    public int[] PredictedCounts()
    {
        var s = new int[Classes];
        for (int a = 0; a < Classes; a++)
        {
            for (int p = 0; p < Classes; p++)
            {
                s[p] += counts[a * Classes + p];
            }
        }
        return s;
    }

    /// <summary>Per-class accuracy (recall): diagonal / row sum for each true class; NaN for a class with no samples.</summary>
    public double[] PerClassAccuracy()
    {
        int[] actual = ActualCounts();
        var acc = new double[Classes];
        for (int c = 0; c < Classes; c++)
        {
            acc[c] = actual[c] == 0 ? double.NaN : (double)counts[c * Classes + c] / actual[c];
        }
        return acc;
    }

    /// <summary>The counts as a (classes, classes) array, [actual, predicted].</summary>
    public int[,] ToArray()
    {
        var a = new int[Classes, Classes];
        for (int r = 0; r < Classes; r++)
        {
            for (int c = 0; c < Classes; c++)
            {
                a[r, c] = counts[r * Classes + c];
            }
        }
        return a;
    }

    /// <summary>One row per true class, for a notebook table: the class, its counts per predicted class, its total and accuracy.</summary>
    public IEnumerable<ConfusionRow> Rows()
    {
        int[] actual = ActualCounts();
        double[] acc = PerClassAccuracy();
        for (int r = 0; r < Classes; r++)
        {
            yield return new ConfusionRow(r, counts.AsSpan(r * Classes, Classes).ToArray(), actual[r], acc[r]);
        }
    }

    /// <summary>A text grid: a header of predicted classes, then one line per true class with its count and accuracy.</summary>
    public override string ToString()
    {
        int width = Math.Max(4, counts.Length == 0 ? 1 : counts.Max().ToString(CultureInfo.InvariantCulture).Length + 1);
        var sb = new StringBuilder();
        sb.Append("true\\pred");
        for (int p = 0; p < Classes; p++)
        {
            sb.Append(p.ToString(CultureInfo.InvariantCulture).PadLeft(width));
        }
        sb.Append("   total   acc\n");
        foreach (ConfusionRow row in Rows())
        {
            sb.Append(row.Actual.ToString(CultureInfo.InvariantCulture).PadLeft(9));
            foreach (int n in row.Counts)
            {
                sb.Append(n.ToString(CultureInfo.InvariantCulture).PadLeft(width));
            }
            sb.Append(row.Total.ToString(CultureInfo.InvariantCulture).PadLeft(8));
            sb.Append(double.IsNaN(row.Accuracy) ? "     —" : row.Accuracy.ToString("0.000", CultureInfo.InvariantCulture).PadLeft(6));
            sb.Append('\n');
        }
        sb.Append(CultureInfo.InvariantCulture, $"accuracy {Correct}/{Total} = {Accuracy:0.0000}");
        return sb.ToString();
    }

    private void CheckClass(int c, string name)
    {
        if ((uint)c >= (uint)Classes)
        {
            throw new ArgumentOutOfRangeException(name, c, $"Expected a class in 0..{Classes - 1} but got {c}");
        }
    }
}

/// <summary>One true class of a <see cref="ConfusionMatrix"/>: its counts per predicted class, its total and accuracy.</summary>
public sealed record ConfusionRow(int Actual, int[] Counts, int Total, double Accuracy);

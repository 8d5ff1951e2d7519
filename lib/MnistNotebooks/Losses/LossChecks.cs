using System.Globalization;

namespace MnistNotebooks.Losses;

/// <summary>Argument checks shared by the losses; messages say what was expected and what was found.</summary>
internal static class LossChecks
{
    /// <summary>Throws unless there is one label in [0, classes) per row of <paramref name="output"/>.</summary>
    public static void Labels(Matrix output, ReadOnlySpan<int> labels, string what)
    {
        ArgumentNullException.ThrowIfNull(output);
        Labels(output.Rows, output.Cols, labels, what);
    }

    public static void Labels(int batch, int classes, ReadOnlySpan<int> labels, string what)
    {
        if (batch == 0)
        {
            throw new ShapeMismatchException($"Expected a non-empty batch of {what} but got 0 rows", what);
        }
        if (labels.Length != batch)
        {
            throw new ShapeMismatchException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Expected {batch} labels, one per row of {what} ({batch}, {classes}), but got {labels.Length}"
                ),
                "labels"
            );
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(
                    "labels",
                    labels[i],
                    string.Create(CultureInfo.InvariantCulture, $"Label {i} is {labels[i]}; expected a class in [0, {classes})")
                );
            }
        }
    }

    /// <summary>Throws unless <paramref name="output"/> holds batch × classes values; returns classes.</summary>
    public static int DoubleOutput(double[] output, int batch, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (output.Length % batch != 0)
        {
            throw new ShapeMismatchException(
                string.Create(CultureInfo.InvariantCulture, $"{output.Length} values do not split into {batch} rows"),
                nameof(output)
            );
        }
        int classes = output.Length / batch;
        Labels(batch, classes, labels, "output");
        return classes;
    }

    /// <summary>Copies labels into a reused array so Backward can read them after the caller's span is gone.</summary>
    public static int[] Keep(ReadOnlySpan<int> labels, int[]? buffer)
    {
        if (buffer is null || buffer.Length != labels.Length)
        {
            buffer = new int[labels.Length];
        }
        labels.CopyTo(buffer);
        return buffer;
    }
}

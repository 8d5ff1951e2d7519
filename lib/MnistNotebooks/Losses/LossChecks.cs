using System.Globalization;
using System.Numerics;

namespace MnistNotebooks.Losses;

/// <summary>Argument checks shared by the losses; messages say what was expected and what was found.</summary>
internal static class LossChecks
{
    /// <summary>Throws unless there is one label in [0, classes) per row of <paramref name="output"/>.</summary>
    public static void Labels<T>(Matrix<T> output, ReadOnlySpan<int> labels, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.Rows == 0)
        {
            throw new ShapeMismatchException($"Expected a non-empty batch of {what} but got 0 rows", what);
        }
        if (labels.Length != output.Rows)
        {
            throw new ShapeMismatchException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Expected {output.Rows} labels, one per row of {what} {output.Shape}, but got {labels.Length}"
                ),
                "labels"
            );
        }
        int bad = FirstOutOfRange(labels, output.Cols);
        if (bad >= 0)
        {
            throw new ArgumentOutOfRangeException(
                "labels",
                labels[bad],
                string.Create(CultureInfo.InvariantCulture, $"Label {bad} is {labels[bad]}; expected a class in [0, {output.Cols})")
            );
        }
    }

    /// <summary>The index of the first label outside [0, classes), or −1.</summary>
    public static int FirstOutOfRange(ReadOnlySpan<int> labels, int classes)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                return i;
            }
        }
        return -1;
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

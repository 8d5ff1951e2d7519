namespace MnistNotebooks.Course;

/// <summary>numpy's <c>np.eye(classes)[labels]</c>: labels (n) → Y (n, classes), Y[r, c] = 1 if c = labels[r] else 0,
/// for loops ported into cells that need the targets of any batch.</summary>
public static class OneHot
{
    /// <summary>Y (labels.Length, classes) with a single 1 per row, at the row's label.</summary>
    public static Matrix<double> Of(ReadOnlySpan<int> labels, int classes = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        var y = new Matrix<double>(labels.Length, classes);
        for (int r = 0; r < labels.Length; r++)
        {
            if ((uint)labels[r] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[r], $"label of row {r} is not in [0, {classes})");
            }
            y[r, labels[r]] = 1;
        }
        return y;
    }
}

using System.Globalization;

namespace MnistNotebooks.Training;

/// <summary>A training set split in two: round(n·fraction) rows (midpoints away from zero) held out for validation,
/// chosen by a seeded Fisher–Yates shuffle. Both parts keep the original row order; the index arrays are sorted.</summary>
public sealed record ValidationSplit(
    Matrix TrainX,
    int[] TrainLabels,
    Matrix ValidationX,
    int[] ValidationLabels,
    int[] TrainIndices,
    int[] ValidationIndices
)
{
    public static ValidationSplit Create(Matrix x, int[] labels, double fraction, int seed) =>
        Create(x, labels, fraction, new Random(seed));

    public static ValidationSplit Create(Matrix x, int[] labels, double fraction, Random rng)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(rng);
        if (labels.Length != x.Rows)
        {
            throw new ArgumentException($"Expected {x.Rows} labels for x {x.Shape} but got {labels.Length}", nameof(labels));
        }
        int n = x.Rows;
        int validationCount = (int)Math.Round(n * fraction, MidpointRounding.AwayFromZero);
        if (validationCount < 1 || validationCount >= n)
        {
            throw new ArgumentException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"A validation fraction of {fraction} of {n} samples gives {validationCount} validation samples; expected 1..{n - 1}"
                ),
                nameof(fraction)
            );
        }
        int[] order = Enumerable.Range(0, n).ToArray();
        FisherYates.Shuffle<int>(order, rng);
        int[] validationIndices = order[..validationCount];
        int[] trainIndices = order[validationCount..];
        Array.Sort(validationIndices);
        Array.Sort(trainIndices);
        return new ValidationSplit(
            Rows(x, trainIndices),
            trainIndices.Select(i => labels[i]).ToArray(),
            Rows(x, validationIndices),
            validationIndices.Select(i => labels[i]).ToArray(),
            trainIndices,
            validationIndices
        );
    }

    private static Matrix Rows(Matrix x, int[] indices)
    {
        var m = new Matrix(indices.Length, x.Cols);
        for (int i = 0; i < indices.Length; i++)
        {
            x.Row(indices[i]).CopyTo(m.Row(i));
        }
        return m;
    }
}

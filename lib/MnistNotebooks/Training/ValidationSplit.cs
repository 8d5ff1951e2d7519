using System.Globalization;
using System.Numerics;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Training;

/// <summary>A training set split in two: round(n·fraction) rows (midpoints away from zero) held out for validation,
/// the first of numpy's <c>permutation(n)</c>. Both parts keep the original row order; the index arrays are sorted.</summary>
public sealed record ValidationSplit<T>(
    Matrix<T> TrainX,
    int[] TrainLabels,
    Matrix<T> ValidationX,
    int[] ValidationLabels,
    int[] TrainIndices,
    int[] ValidationIndices
)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static ValidationSplit<T> Create(Matrix<T> x, int[] labels, double fraction, int seed) =>
        Create(x, labels, fraction, new RandomState(seed));

    public static ValidationSplit<T> Create(Matrix<T> x, int[] labels, double fraction, RandomState rng)
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
        int[] order = rng.Permutation(n);
        int[] validationIndices = order[..validationCount];
        int[] trainIndices = order[validationCount..];
        Array.Sort(validationIndices);
        Array.Sort(trainIndices);
        return new ValidationSplit<T>(
            x.GatherRows(trainIndices),
            [.. trainIndices.Select(i => labels[i])],
            x.GatherRows(validationIndices),
            [.. validationIndices.Select(i => labels[i])],
            trainIndices,
            validationIndices
        );
    }
}

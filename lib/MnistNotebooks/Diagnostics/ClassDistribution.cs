using System.Globalization;
using System.Numerics;
using System.Text;
using MnistNotebooks.Metrics;

namespace MnistNotebooks.Diagnostics;

/// <summary>How many predictions fell in each class 0..Classes−1: a collapse to one digit shows as one large count.</summary>
public sealed record ClassDistribution(int[] Counts)
{
    public int Classes => Counts.Length;

    public int Total => Counts.Sum();

    /// <summary>The most predicted class (ties → lowest index).</summary>
    public int MostCommon
    {
        get
        {
            int best = 0;
            for (int c = 1; c < Counts.Length; c++)
            {
                if (Counts[c] > Counts[best])
                {
                    best = c;
                }
            }
            return best;
        }
    }

    /// <summary>The share of predictions in the most common class; 1 means every prediction is the same digit.</summary>
    public double MostCommonFraction => Total == 0 ? double.NaN : (double)Counts[MostCommon] / Total;

    /// <summary>How many classes are predicted at least once.</summary>
    public int ClassesPredicted => Counts.Count(n => n > 0);

    public double Fraction(int c) => Total == 0 ? double.NaN : (double)Counts[c] / Total;

    /// <summary>Counts of <paramref name="predictions"/> in 0..classes−1; out-of-range values throw.</summary>
    public static ClassDistribution Of(ReadOnlySpan<int> predictions, int classes = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        var counts = new int[classes];
        foreach (int p in predictions)
        {
            if ((uint)p >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(predictions), p, $"Expected a class in 0..{classes - 1} but got {p}");
            }
            counts[p]++;
        }
        return new ClassDistribution(counts);
    }

    /// <summary>The distribution of the row-wise argmax of (n, classes) <paramref name="outputs"/>.</summary>
    public static ClassDistribution OfOutputs<T>(Matrix<T> outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(outputs);
        return Of(Predictions.Argmax(outputs), outputs.Cols);
    }

    /// <summary>e.g. <c>0: 980 (9.8%) | 1: 1135 (11.4%) | … | most common 1 (11.4%)</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        for (int c = 0; c < Counts.Length; c++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{c}: {Counts[c]} ({Fraction(c):0.0%}) | ");
        }
        sb.Append(CultureInfo.InvariantCulture, $"most common {MostCommon} ({MostCommonFraction:0.0%})");
        return sb.ToString();
    }
}

using System.Globalization;
using System.Numerics;

namespace MnistNotebooks.Metrics;

/// <summary>One bin of a reliability diagram: the predictions whose confidence c lies in [<see cref="Low"/>,
/// <see cref="High"/>) (the last bin also holds c = 1), how many there are, their mean confidence and the fraction of them
/// that are right. <see cref="MeanConfidence"/> and <see cref="Accuracy"/> are NaN for an empty bin.</summary>
public sealed record ReliabilityBin(double Low, double High, int Count, double MeanConfidence, double Accuracy)
{
    /// <summary>|accuracy − mean confidence|, the bin's calibration gap; NaN for an empty bin.</summary>
    public double Gap => Math.Abs(Accuracy - MeanConfidence);
}

/// <summary>How well confidences match accuracy: n predictions with confidence cᵢ ∈ [0, 1] (for a classifier, the largest
/// softmax probability) and whether each is right, put in B equal-width bins [b/B, (b + 1)/B); ECE = Σ_b (n_b/n)·|acc_b −
/// conf_b| and MCE = max over non-empty bins of |acc_b − conf_b| (Guo et al. 2017, "On calibration of modern neural
/// networks").</summary>
public sealed class Calibration
{
    private Calibration(ReliabilityBin[] bins, int count, double meanConfidence, double accuracy)
    {
        Bins = bins;
        Count = count;
        MeanConfidence = meanConfidence;
        Accuracy = accuracy;
        ExpectedCalibrationError = count == 0 ? double.NaN : bins.Where(b => b.Count > 0).Sum(b => (double)b.Count / count * b.Gap);
        MaximumCalibrationError = count == 0 ? double.NaN : bins.Where(b => b.Count > 0).Max(b => b.Gap);
    }

    /// <summary>The B bins, from [0, 1/B) to [(B − 1)/B, 1].</summary>
    public IReadOnlyList<ReliabilityBin> Bins { get; }

    /// <summary>n, the number of predictions.</summary>
    public int Count { get; }

    /// <summary>The mean confidence over all n predictions; NaN for n = 0.</summary>
    public double MeanConfidence { get; }

    /// <summary>The fraction of all n predictions that are right; NaN for n = 0.</summary>
    public double Accuracy { get; }

    /// <summary>ECE = Σ_b (n_b/n)·|acc_b − conf_b|, in [0, 1]; NaN for n = 0.</summary>
    public double ExpectedCalibrationError { get; }

    /// <summary>MCE = max over non-empty bins of |acc_b − conf_b|, in [0, 1]; NaN for n = 0.</summary>
    public double MaximumCalibrationError { get; }

    /// <summary>Bins <paramref name="confidences"/> (each in [0, 1]) with whether each prediction was
    /// <paramref name="correct"/> into <paramref name="bins"/> equal-width bins; c goes to bin b with b/B ≤ c &lt; (b + 1)/B,
    /// c = 1 to the last.</summary>
    public static Calibration From(ReadOnlySpan<double> confidences, ReadOnlySpan<bool> correct, int bins = 15)
    {
        if (bins < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(bins), bins, $"Expected at least 1 bin but got {bins}");
        }
        if (confidences.Length != correct.Length)
        {
            throw new ArgumentException(
                $"Expected one correctness flag per confidence ({confidences.Length}) but got {correct.Length}",
                nameof(correct)
            );
        }
        var counts = new int[bins];
        var right = new int[bins];
        var sums = new double[bins];
        double total = 0;
        int totalRight = 0;
        for (int i = 0; i < confidences.Length; i++)
        {
            double c = confidences[i];
            if (!(c >= 0 && c <= 1))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(confidences),
                    c,
                    string.Create(CultureInfo.InvariantCulture, $"Expected confidences in [0, 1] but got {c} at index {i}")
                );
            }
            int b = BinOf(c, bins);
            counts[b]++;
            sums[b] += c;
            total += c;
            if (correct[i])
            {
                right[b]++;
                totalRight++;
            }
        }
        var result = new ReliabilityBin[bins];
        for (int b = 0; b < bins; b++)
        {
            result[b] = new ReliabilityBin(
                (double)b / bins,
                (double)(b + 1) / bins,
                counts[b],
                counts[b] == 0 ? double.NaN : sums[b] / counts[b],
                counts[b] == 0 ? double.NaN : (double)right[b] / counts[b]
            );
        }
        int n = confidences.Length;
        return new Calibration(result, n, n == 0 ? double.NaN : total / n, n == 0 ? double.NaN : (double)totalRight / n);
    }

    /// <summary>The calibration of a classifier's (n, classes) <paramref name="probabilities"/> (rows summing to 1):
    /// confidence = the row's largest probability, right when its argmax is the label.</summary>
    public static Calibration FromProbabilities<T>(Matrix<T> probabilities, ReadOnlySpan<int> labels, int bins = 15)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        Predictions.CheckLength(probabilities.Rows, labels.Length);
        var confidences = new double[probabilities.Rows];
        var correct = new bool[probabilities.Rows];
        for (int r = 0; r < probabilities.Rows; r++)
        {
            ReadOnlySpan<T> row = probabilities.Row(r);
            int predicted = Predictions.Argmax(row);
            confidences[r] = double.CreateTruncating(row[predicted]);
            correct[r] = predicted == labels[r];
        }
        return From(confidences, correct, bins);
    }

    /// <summary>The calibration of softmax(<paramref name="logits"/> / T) for (n, classes) logits and temperature
    /// <paramref name="temperature"/> &gt; 0 (1: the model as it is; see <see cref="TemperatureScaling"/>).</summary>
    public static Calibration FromLogits<T>(Matrix<T> logits, ReadOnlySpan<int> labels, int bins = 15, double temperature = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        return FromProbabilities(TemperatureScaling.Probabilities(logits, temperature), labels, bins);
    }

    // floor(c·B) can land one bin off at an edge b/B that c·B does not hit exactly; the edges decide.
    private static int BinOf(double c, int bins)
    {
        int b = Math.Min((int)(c * bins), bins - 1);
        if (b > 0 && c < (double)b / bins)
        {
            b--;
        }
        else if (b < bins - 1 && c >= (double)(b + 1) / bins)
        {
            b++;
        }
        return b;
    }

    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"Calibration({Count} predictions, {Bins.Count} bins): accuracy {Accuracy:0.0000}, mean confidence {MeanConfidence:0.0000}, ECE {ExpectedCalibrationError:0.0000}, MCE {MaximumCalibrationError:0.0000}"
        );
}

using System.Globalization;
using System.Numerics;

namespace MnistNotebooks.Metrics;

/// <summary>Temperature scaling (Guo et al. 2017): softmax(z / T) with one T &gt; 0 for all classes, chosen to minimise the
/// mean negative log-likelihood on held-out data. T &gt; 1 softens over-confident probabilities; the argmax, and so the
/// accuracy, is the same for every T.</summary>
public static class TemperatureScaling
{
    /// <summary>softmax(z / T) of (n, classes) <paramref name="logits"/>, row by row (stable), as a new (n, classes) matrix.</summary>
    public static Matrix<T> Probabilities<T>(Matrix<T> logits, double temperature = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        CheckTemperature(temperature, nameof(temperature));
        Matrix<T> scaled = temperature == 1 ? logits : logits * T.CreateTruncating(1 / temperature);
        var p = new Matrix<T>(logits.Rows, logits.Cols);
        Kernels.Softmax.Rows(scaled, p);
        return p;
    }

    /// <summary>NLL(T) = (1/n)·Σᵢ [log Σ_k exp(z_ik / T) − z_iyᵢ / T], the mean cross-entropy of softmax(z / T), in float64.</summary>
    public static double NegativeLogLikelihood<T>(Matrix<T> logits, ReadOnlySpan<int> labels, double temperature)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        CheckTemperature(temperature, nameof(temperature));
        CheckLabels(logits, labels);
        return Nll(logits, labels, 1 / temperature);
    }

    /// <summary>The T in [<paramref name="minTemperature"/>, <paramref name="maxTemperature"/>] that minimises
    /// <see cref="NegativeLogLikelihood{T}"/>: a golden-section search on β = 1/T, where the NLL is convex (a log-sum-exp
    /// of functions linear in β minus one linear in β), to a relative width of 1e-7.</summary>
    public static double Fit<T>(Matrix<T> logits, ReadOnlySpan<int> labels, double minTemperature = 0.05, double maxTemperature = 20)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        CheckTemperature(minTemperature, nameof(minTemperature));
        CheckTemperature(maxTemperature, nameof(maxTemperature));
        if (!(maxTemperature > minTemperature))
        {
            throw new ArgumentException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Expected maxTemperature > minTemperature but got [{minTemperature}, {maxTemperature}]"
                ),
                nameof(maxTemperature)
            );
        }
        CheckLabels(logits, labels);
        if (labels.Length == 0)
        {
            throw new ArgumentException("Expected at least one sample to fit a temperature on but got none", nameof(labels));
        }
        double invPhi = (Math.Sqrt(5) - 1) / 2;
        double a = 1 / maxTemperature,
            b = 1 / minTemperature;
        double c = b - invPhi * (b - a),
            d = a + invPhi * (b - a);
        double fc = Nll(logits, labels, c),
            fd = Nll(logits, labels, d);
        while (b - a > 1e-7 * b)
        {
            if (fc <= fd)
            {
                (b, d, fd) = (d, c, fc);
                c = b - invPhi * (b - a);
                fc = Nll(logits, labels, c);
            }
            else
            {
                (a, c, fc) = (c, d, fd);
                d = a + invPhi * (b - a);
                fd = Nll(logits, labels, d);
            }
        }
        return 2 / (a + b);
    }

    private static double Nll<T>(Matrix<T> logits, ReadOnlySpan<int> labels, double beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        for (int r = 0; r < logits.Rows; r++)
        {
            ReadOnlySpan<T> row = logits.Row(r);
            double max = double.NegativeInfinity;
            foreach (T v in row)
            {
                max = Math.Max(max, beta * double.CreateTruncating(v));
            }
            double s = 0;
            foreach (T v in row)
            {
                s += Math.Exp(beta * double.CreateTruncating(v) - max);
            }
            sum += max + Math.Log(s) - beta * double.CreateTruncating(row[labels[r]]);
        }
        return sum / logits.Rows;
    }

    private static void CheckTemperature(double t, string name)
    {
        if (!(t > 0 && double.IsFinite(t)))
        {
            throw new ArgumentOutOfRangeException(name, t, $"Expected a temperature > 0 and finite but got {t}");
        }
    }

    private static void CheckLabels<T>(Matrix<T> logits, ReadOnlySpan<int> labels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Predictions.CheckLength(logits.Rows, labels.Length);
        int bad = Losses.LossChecks.FirstOutOfRange(labels, logits.Cols);
        if (bad >= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(labels),
                labels[bad],
                $"Expected labels in [0, {logits.Cols}) but got {labels[bad]} at index {bad}"
            );
        }
    }
}

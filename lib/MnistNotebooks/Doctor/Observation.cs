using System.Globalization;
using MnistNotebooks.Kernels;

namespace MnistNotebooks.Doctor;

/// <summary>What the model does on a batch with given parameters: its outputs, logits, probabilities (double, from a
/// stable softmax of logits), hidden activations, the learner's cost, the cross-entropy and where a NaN first appeared.
/// A library model runs in its own precision (float32 overflows where double would not); a hand-written one as written.</summary>
internal sealed class Observation
{
    public required Matrix<double> Outputs { get; init; }

    public Matrix<double>? Logits { get; init; }

    /// <summary>Rows over the classes; null for <see cref="OutputKind.Scores"/>.</summary>
    public Matrix<double>? Probabilities { get; init; }

    public required IReadOnlyList<Activation> Activations { get; init; }

    public double Cost { get; init; }

    /// <summary>−mean log p(label); NaN for scores.</summary>
    public double CrossEntropy { get; init; }

    public required int[] Predictions { get; init; }

    public required int[] Labels { get; init; }

    public int Classes => Outputs.Cols;

    /// <summary>Where the first NaN or ±∞ appeared, e.g. <c>forward of 'softmax' (element 12): NaN</c>; null when none did.</summary>
    public string? NonFinite { get; init; }

    public bool OutputsFinite => Outputs.AllFinite();

    /// <summary>Runs the patient's functions on <paramref name="x"/> with parameters <paramref name="p"/> (the doctor's copy).</summary>
    public static Observation Of(Patient patient, ParameterSet p, Matrix<double> x, int[] y)
    {
        Evaluation? library = patient.Evaluate?.Invoke(p, x, y);
        (Matrix<double> outputs, Matrix<double>? logits, IReadOnlyList<Activation> activations) = library is not null
            ? (library.Outputs, library.Logits, library.Activations)
            : (patient.Outputs(p, x), patient.Logits?.Invoke(p, x), patient.Activations?.Invoke(p, x) ?? []);
        CheckShape(outputs, x.Rows, -1, "Outputs");
        if (outputs.Cols < 2)
        {
            throw new InvalidOperationException($"Outputs returned {outputs.Shape}; expected (batch, classes) with at least 2 classes");
        }
        if (patient.OutputKind == OutputKind.Logits)
        {
            logits = outputs;
        }
        else if (logits is not null)
        {
            CheckShape(logits, x.Rows, outputs.Cols, "Logits");
        }
        foreach (Activation a in activations)
        {
            CheckShape(a.Values, x.Rows, -1, $"Activation '{a.Name}'");
        }
        int bad = Array.FindIndex(y, label => (uint)label >= (uint)outputs.Cols);
        if (bad >= 0)
        {
            throw new InvalidOperationException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Label {bad} is {y[bad]}; expected a class in [0, {outputs.Cols}), the outputs' width"
                )
            );
        }
        double cost = library?.Cost ?? patient.Cost(p, x, y);
        Matrix<double>? probabilities = patient.OutputKind switch
        {
            OutputKind.Logits => StableSoftmax(outputs),
            OutputKind.Probabilities => outputs,
            _ => null,
        };
        return new Observation
        {
            Outputs = outputs,
            Logits = logits,
            Probabilities = probabilities,
            Activations = activations,
            Cost = cost,
            CrossEntropy = CrossEntropyOf(patient.OutputKind, outputs, y),
            Predictions = MnistNotebooks.Metrics.Predictions.Argmax(outputs),
            Labels = y,
            NonFinite = library is not null
                ? library.NonFinite
                : Locate(activations, patient.OutputKind == OutputKind.Logits ? null : logits, outputs, cost),
        };
    }

    /// <summary>The largest logit, NaN without logits; non-finite entries are skipped.</summary>
    public double MaxLogit => Logits is null ? double.NaN : Logits.Data.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();

    /// <summary>True when every row equals the first to within <see cref="DoctorThresholds.IdenticalOutputs"/>.</summary>
    public bool OutputsIdenticalAcrossInputs()
    {
        if (Outputs.Rows < 2 || !OutputsFinite)
        {
            return false;
        }
        ReadOnlySpan<double> first = Outputs.Row(0);
        for (int r = 1; r < Outputs.Rows; r++)
        {
            ReadOnlySpan<double> row = Outputs.Row(r);
            for (int c = 0; c < row.Length; c++)
            {
                if (Math.Abs(row[c] - first[c]) > DoctorThresholds.IdenticalOutputs * Math.Max(1, Math.Abs(first[c])))
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static Matrix<double> StableSoftmax(Matrix<double> logits)
    {
        var p = new Matrix<double>(logits.Rows, logits.Cols);
        Softmax.Rows(logits, p);
        return p;
    }

    private static double CrossEntropyOf(OutputKind kind, Matrix<double> outputs, int[] y)
    {
        if (kind == OutputKind.Scores)
        {
            return double.NaN;
        }
        Matrix<double> logp = outputs;
        if (kind == OutputKind.Logits)
        {
            logp = new Matrix<double>(outputs.Rows, outputs.Cols);
            Softmax.LogRows(outputs, logp);
        }
        double sum = 0;
        for (int r = 0; r < outputs.Rows; r++)
        {
            double v = logp[r, y[r]];
            sum -= kind == OutputKind.Logits ? v : Math.Log(v);
        }
        return sum / outputs.Rows;
    }

    private static string? Locate(IReadOnlyList<Activation> activations, Matrix<double>? logits, Matrix<double> outputs, double cost)
    {
        foreach (Activation a in activations)
        {
            if (Where(a.Values, $"the activation '{a.Name}'") is { } at)
            {
                return at;
            }
        }
        return (logits is null ? null : Where(logits, "the logits"))
            ?? Where(outputs, "the outputs")
            ?? (double.IsFinite(cost) ? null : $"the cost: {Fmt.G(cost)}");
    }

    private static string? Where(Matrix<double> m, string what)
    {
        int i = Matrix<double>.FirstNonFinite(m.Data);
        return i < 0
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{what} (sample {i / m.Cols}, column {i % m.Cols}): {Fmt.G(m.Data[i])}");
    }

    private static void CheckShape(Matrix<double> m, int rows, int cols, string what)
    {
        ArgumentNullException.ThrowIfNull(m, what);
        if (m.Rows != rows || (cols >= 0 && m.Cols != cols))
        {
            string expected = cols >= 0 ? $"({rows}, {cols})" : $"({rows}, …)";
            throw new InvalidOperationException(
                $"{what} returned {m.Shape} for a batch of {rows}; expected {expected}, one row per sample"
            );
        }
    }
}

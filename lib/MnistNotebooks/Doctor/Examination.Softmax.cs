namespace MnistNotebooks.Doctor;

internal sealed partial class Examination
{
    /// <summary>MN003: probabilities must sum to 1 over the classes of each row.</summary>
    private void CheckRowSums(Observation o)
    {
        if (patient.OutputKind != OutputKind.Probabilities)
        {
            return;
        }
        Matrix<double> p = o.Outputs;
        double lo = double.PositiveInfinity,
            hi = double.NegativeInfinity,
            worst = 0;
        for (int r = 0; r < p.Rows; r++)
        {
            double s = 0;
            foreach (double v in p.Row(r))
            {
                s += v;
            }
            if (!double.IsFinite(s))
            {
                continue;
            }
            (lo, hi, worst) = (Math.Min(lo, s), Math.Max(hi, s), Math.Max(worst, Math.Abs(s - 1)));
        }
        Measure("rowSums.maxDeviation", worst);
        if (worst <= DoctorThresholds.RowSumTolerance)
        {
            return;
        }
        bool columns = true;
        for (int c = 0; c < p.Cols && columns; c++)
        {
            double s = 0;
            for (int r = 0; r < p.Rows; r++)
            {
                s += p[r, c];
            }
            columns = Math.Abs(s - 1) <= DoctorThresholds.RowSumTolerance;
        }
        string why = columns
            ? Invariant(
                $"; every column sums to 1: normalised over the {Fmt.N(p.Rows)} samples of the batch, not over the {p.Cols} classes"
            )
            : "";
        findings.Add(
            FindingCodes.OutputsNotNormalized,
            Severity.Error,
            Chapters.WrongAxis,
            columns
                ? "The softmax normalises over the wrong axis: samples, not classes"
                : "The probabilities do not sum to 1 over the classes",
            Invariant($"row sums range {Fmt.G(lo)} … {Fmt.G(hi)}, expected 1 (off by up to {Fmt.G(worst)}){why}"),
            "Normalise each row (sample) over its classes: exp(z) / exp(z).sum(axis=1, keepdims=True) for (samples, classes)"
        );
    }

    /// <summary>MN021: logits that are probabilities already: the loss's softmax is a second one.</summary>
    private void CheckSoftmaxTwice(Observation o)
    {
        if (patient.OutputKind != OutputKind.Logits || !o.OutputsFinite)
        {
            return;
        }
        Matrix<double> z = o.Outputs;
        for (int r = 0; r < z.Rows; r++)
        {
            double s = 0;
            foreach (double v in z.Row(r))
            {
                if (v < 0 || v > 1)
                {
                    return;
                }
                s += v;
            }
            if (Math.Abs(s - 1) > DoctorThresholds.RowSumTolerance)
            {
                return;
            }
        }
        double floor = Math.Log(o.Classes - 1 + Math.E) - 1;
        findings.Add(
            FindingCodes.SoftmaxTwice,
            Severity.Error,
            Chapters.SoftmaxOverflow,
            "The logits are already probabilities: the softmax is applied twice",
            Invariant(
                $"every one of {Fmt.N(z.Rows)} rows lies in [0, 1] and sums to 1; a softmax of them keeps the cross-entropy above ln({o.Classes - 1} + e) − 1 = {Fmt.F(floor, 3)} (now {Fmt.F(o.CrossEntropy)})"
            ),
            "Give the loss the logits: the last layer stays linear before a softmax cross-entropy (SoftmaxCrossEntropy)"
        );
    }

    /// <summary>MN005: exp overflows above ln(MaxValue) of the learner's precision; a naive softmax then gives ∞/∞ = NaN.</summary>
    private void CheckOverflow(Observation o, string prefix)
    {
        double limit = DoctorThresholds.ExpLimit(patient.Precision);
        double maxLogit = o.MaxLogit;
        bool broken = !o.OutputsFinite || !double.IsFinite(o.Cost) || o.NonFinite is not null;
        bool logitsFinite = o.Logits is null || o.Logits.AllFinite();
        bool beyond = maxLogit > limit;
        // A probability output that is NaN/∞ while what feeds it is finite: the learner's own softmax overflowed.
        bool softmaxBroke =
            patient.OutputKind == OutputKind.Probabilities
            && !o.OutputsFinite
            && inputs.NonFinite == 0
            && logitsFinite
            && o.Activations.All(a => a.Values.AllFinite());
        if (!beyond && !softmaxBroke)
        {
            return;
        }
        string precision = patient.Precision == NumericPrecision.Float32 ? "float32" : "float64";
        int nanOutputs = o.Outputs.Data.Count(v => !double.IsFinite(v));
        int zeros = o.Outputs.Data.Count(v => v == 0);
        string logitText = double.IsFinite(maxLogit)
            ? Invariant($"largest logit {Fmt.G(maxLogit)}, beyond exp's limit {Fmt.F(limit, 2)} in {precision}")
            : "logits not given";
        string outputsText =
            patient.OutputKind == OutputKind.Probabilities
                ? Invariant(
                    $"; {Fmt.Pct((double)nanOutputs / o.Outputs.Length)} of the probabilities NaN/∞, {Fmt.Pct((double)zeros / o.Outputs.Length)} exactly 0"
                )
                : "";
        findings.Add(
            FindingCodes.SoftmaxOverflow,
            broken || softmaxBroke ? Severity.Error : Severity.Warning,
            Chapters.SoftmaxOverflow,
            broken || softmaxBroke
                ? "The softmax overflows: exp of a large logit is ∞, and ∞/∞ is NaN"
                : "The logits are beyond exp's overflow limit (a naive softmax would give NaN)",
            prefix + logitText + outputsText + Invariant($"; cost {Fmt.G(o.Cost)}"),
            "Subtract each row's max before exp (softmax(z) = softmax(z − max z)) and fuse log-softmax into the cost (log-sum-exp)"
        );
    }

    /// <summary>MN006: finite outputs but a non-finite cost: log of a probability that is exactly 0.</summary>
    private void CheckLogOfZero(Observation o, string prefix)
    {
        if (double.IsFinite(o.Cost) || !o.OutputsFinite || findings.Has(FindingCodes.SoftmaxOverflow))
        {
            return;
        }
        string zeros = "";
        if (patient.OutputKind == OutputKind.Probabilities)
        {
            int count = 0;
            for (int r = 0; r < o.Outputs.Rows; r++)
            {
                count += o.Outputs[r, o.Labels[r]] == 0 ? 1 : 0;
            }
            zeros = Invariant($"; the true class has probability exactly 0 for {Fmt.N(count)} of {Fmt.N(o.Outputs.Rows)} samples");
        }
        findings.Add(
            FindingCodes.LogOfZero,
            Severity.Error,
            Chapters.SoftmaxOverflow,
            "The cost is not finite although every output is: log(0)",
            prefix + Invariant($"cost {Fmt.G(o.Cost)}{zeros}"),
            "Compute the cost from the logits with log-softmax (log-sum-exp), or clip the probabilities before log"
        );
    }
}

namespace MnistNotebooks.Doctor;

internal sealed partial class Examination
{
    /// <summary>MN003, MN005, MN006, MN011, MN015, MN018 on one state (now, or after one probe step).</summary>
    private void CheckOutputs(Observation o, bool afterStep)
    {
        string when = afterStep ? "after one update" : "now";
        string prefix = afterStep ? "after one update: " : "";
        if (o.NonFinite is { } where)
        {
            ReportNonFinite(where, Invariant($"{when}, on {Fmt.N(o.Outputs.Rows)} samples"));
        }
        if (!afterStep)
        {
            CheckRowSums(o);
            CheckSoftmaxTwice(o);
            CheckInitialLoss(o);
        }
        CheckOverflow(o, prefix);
        CheckLogOfZero(o, prefix);
        CheckCollapse(o, afterStep, prefix);
        string tag = afterStep ? ".after" : "";
        Measure("cost" + tag, o.Cost);
        Measure("crossEntropy" + tag, o.CrossEntropy);
        Measure("logits.max" + tag, o.MaxLogit);
    }

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
            ? Invariant($"; every column sums to 1: normalised over the {Fmt.N(p.Rows)} samples of the batch, not over the {p.Cols} classes")
            : "";
        findings.Add(
            FindingCodes.OutputsNotNormalized,
            Severity.Error,
            Chapters.WrongAxis,
            columns ? "The softmax normalises over the wrong axis: samples, not classes" : "The probabilities do not sum to 1 over the classes",
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

    /// <summary>MN011: a network that knows nothing scores ln K; far above it, it starts confidently wrong.</summary>
    private void CheckInitialLoss(Observation o)
    {
        double ce = o.CrossEntropy,
            lnK = Math.Log(o.Classes);
        if (!double.IsFinite(ce))
        {
            return;
        }
        double excess = ce - lnK;
        if (excess <= DoctorThresholds.InitialLossNote)
        {
            return;
        }
        string logits = double.IsFinite(o.MaxLogit) ? Invariant($"; largest logit {Fmt.G(o.MaxLogit)}") : "";
        findings.Add(
            FindingCodes.InitialLossHigh,
            excess > DoctorThresholds.InitialLossWarning ? Severity.Warning : Severity.Info,
            Chapters.Initialization,
            excess > DoctorThresholds.InitialLossWarning
                ? Invariant($"The cross-entropy is {Fmt.G(excess)} above ln {o.Classes}: the model is confidently wrong")
                : Invariant($"The cross-entropy is {Fmt.G(excess)} above ln {o.Classes}, where a model that knows nothing starts"),
            Invariant(
                $"cross-entropy {Fmt.F(ce)} on {Fmt.N(o.Outputs.Rows)} samples; a model that knows nothing scores ln {o.Classes} = {Fmt.F(lnK)}{logits}"
            ),
            "Before training, start the output layer small (e.g. weights N(0, 0.01²), zero bias) so the first logits are near 0"
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
        bool softmaxBroke = patient.OutputKind == OutputKind.Probabilities && !o.OutputsFinite && logitsFinite
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
        string outputsText = patient.OutputKind == OutputKind.Probabilities
            ? Invariant($"; {Fmt.Pct((double)nanOutputs / o.Outputs.Length)} of the probabilities NaN/∞, {Fmt.Pct((double)zeros / o.Outputs.Length)} exactly 0")
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

    /// <summary>MN015: most predictions in one class that the labels do not favour. An untrained model often predicts
    /// one class for most inputs (its class offsets outweigh what the inputs change), so the state before the probes
    /// counts only when the model is confident (cross-entropy off ln K); after one update, only a collapse it caused.</summary>
    private void CheckCollapse(Observation o, bool afterStep, string prefix)
    {
        var counts = new int[o.Classes];
        foreach (int c in o.Predictions)
        {
            counts[c]++;
        }
        int top = Array.IndexOf(counts, counts.Max());
        double share = (double)counts[top] / o.Predictions.Length;
        double labelShare = (double)o.Labels.Count(l => l == top) / o.Labels.Length;
        Measure(afterStep ? "collapse.share.after" : "collapse.share", share);
        bool confident = patient.OutputKind != OutputKind.Scores
            && double.IsFinite(o.CrossEntropy)
            && Math.Abs(o.CrossEntropy - Math.Log(o.Classes)) > DoctorThresholds.InitialLossNote
            && !o.OutputsIdenticalAcrossInputs();
        bool caused = afterStep && measured.GetValueOrDefault("collapse.share", 1) < DoctorThresholds.CollapseShare;
        if (share < DoctorThresholds.CollapseShare || labelShare >= 0.5 || !(afterStep ? caused : confident))
        {
            return;
        }
        string before = afterStep ? Invariant($" (before it: {Fmt.Pct(measured["collapse.share"])})") : "";
        findings.Add(
            FindingCodes.PredictionsCollapsed,
            Severity.Warning,
            Chapters.WrongAxis,
            Invariant($"The predictions have collapsed onto one class ({top})"),
            prefix + Invariant($"{Fmt.Pct(share)} of {Fmt.N(o.Predictions.Length)} samples are predicted {top}, which is {Fmt.Pct(labelShare)} of their labels{before}"),
            "Look for what pushes every sample the same way: the softmax's axis, saturated outputs, a step that is far too large"
        );
    }

    /// <summary>MN016: every input gets the same output now, and still does after the overfitting probe's updates.</summary>
    private void CheckIdenticalOutputs(ParameterSet? trained)
    {
        if (!now.OutputsIdenticalAcrossInputs())
        {
            return;
        }
        bool confirmed = false;
        string after = "";
        if (trained is not null)
        {
            Observation later = Observation.Of(patient, trained, xe, ye);
            if (!later.OutputsIdenticalAcrossInputs())
            {
                return; // a symmetric start (e.g. zero-initialised weights) that the updates break: fine
            }
            confirmed = true;
            after = Invariant($"; still identical after the overfitting probe's updates (cross-entropy {Fmt.F(later.CrossEntropy)})");
        }
        string lnK = double.IsFinite(now.CrossEntropy)
            ? Invariant($"; cross-entropy {Fmt.F(now.CrossEntropy)} (ln {Classes} = {Fmt.F(Math.Log(Classes))})")
            : "";
        findings.Add(
            FindingCodes.OutputsIgnoreInput,
            confirmed ? Severity.Error : Severity.Warning,
            DeadCauseChapter(),
            "Every input gets the same output: the loss is stuck (at ln K for balanced classes)",
            Invariant($"all {Fmt.N(now.Outputs.Rows)} samples give identical outputs{lnK}{after}"),
            "Find the layer where the signal dies (dead ReLUs, saturated units, zero weights) and re-initialise or rescale it"
        );
    }

    /// <summary>The chapter for a signal that died: dead sigmoids (03) or a dead ReLU layer (04, 08).</summary>
    private Chapter DeadCauseChapter() =>
        findings.Has(FindingCodes.SaturatedUnits) ? Chapters.DeadSigmoids : Chapters.SoftmaxOverflow;
}

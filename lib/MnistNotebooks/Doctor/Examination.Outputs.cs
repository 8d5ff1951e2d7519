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
        bool confident =
            patient.OutputKind != OutputKind.Scores
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
            prefix
                + Invariant(
                    $"{Fmt.Pct(share)} of {Fmt.N(o.Predictions.Length)} samples are predicted {top}, which is {Fmt.Pct(labelShare)} of their labels{before}"
                ),
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
    private Chapter DeadCauseChapter() => findings.Has(FindingCodes.SaturatedUnits) ? Chapters.DeadSigmoids : Chapters.SoftmaxOverflow;
}

namespace MnistNotebooks.Doctor;

internal sealed partial class Examination
{
    /// <summary>MN009, MN014, MN019, MN020 from the update-to-weight ratios (healthy: about 1e-3). Too large is judged on
    /// all weight matrices together: a small-initialised output layer moves by much of its own size in the first
    /// steps, harmlessly. Too small and stopped are judged on the largest: every matrix must be barely moving.</summary>
    private void JudgeUpdateSize(((string Name, double Ratio)[] Each, double All) measuredRatios, string what, bool afterStep)
    {
        (string Name, double Ratio)[] ratios = measuredRatios.Each;
        double all = double.IsNaN(measuredRatios.All) ? double.PositiveInfinity : measuredRatios.All;
        if (ratios.Length == 0)
        {
            if (!afterStep)
            {
                notExamined.Add("the update-to-weight ratio: every weight matrix is zero");
            }
            return;
        }
        double max = ratios.Max(r => double.IsNaN(r.Ratio) ? double.PositiveInfinity : r.Ratio);
        string list = string.Join(", ", ratios.Select(r => $"{r.Name} {Fmt.G(r.Ratio)}"));
        Measure(afterStep ? "update.ratio.max.after" : "update.ratio.max", max);
        Measure(afterStep ? "update.ratio.after" : "update.ratio", all);
        if (max < DoctorThresholds.NoLearningRatio)
        {
            findings.Add(
                FindingCodes.LearningStopped,
                Severity.Error,
                StoppedCauseChapter(),
                afterStep ? "Learning stops after one update: the next update is about 0" : "Learning has stopped: the update is about 0",
                Invariant($"‖ΔW‖/‖W‖ of {what}: {list} (below {Fmt.G(DoctorThresholds.NoLearningRatio)}: the gradient vanished)"),
                "Find where the gradient dies: saturated sigmoids, dead ReLUs, a zero weight matrix; fix the step that put them there"
            );
            return;
        }
        if (afterStep)
        {
            return;
        }
        string growth = Summed
            ? Invariant($"; the update grows as batch^{Fmt.G(batchExponent)}: the gradient is summed over the batch, not averaged")
            : "";
        if (all >= DoctorThresholds.UpdateRatioHigh)
        {
            bool far = all >= DoctorThresholds.UpdateRatioFar;
            findings.Add(
                FindingCodes.UpdateTooLarge,
                far ? Severity.Error : Severity.Warning,
                InputsUnscaled ? Chapters.RawPixels
                    : far ? Chapters.DeadSigmoids
                    : Chapters.LearningRateAndBatch,
                far
                    ? Invariant($"One update moves the weights {Fmt.G(all)}× their own size: a missing or far too large learning rate")
                    : Invariant($"One update moves the weights by {Fmt.Pct(all)} of their size: the learning rate is too large"),
                Invariant($"‖ΔW‖/‖W‖ of {what}: {Fmt.G(all)} over all weight matrices; {list} (healthy: about 1e-3){growth}"),
                Summed
                    ? "Average the gradient over the batch (÷ batch size) and multiply it by a learning rate: aim for ‖ΔW‖/‖W‖ ≈ 1e-3"
                    : "Multiply the update by a (smaller) learning rate: aim for ‖ΔW‖/‖W‖ ≈ 1e-3"
            );
        }
        else if (max < DoctorThresholds.UpdateRatioLow)
        {
            findings.Add(
                FindingCodes.UpdateTooSmall,
                Severity.Warning,
                Chapters.LearningRateAndBatch,
                Invariant($"One update moves the weights by only {Fmt.G(max)} of their size: the learning rate is too small"),
                Invariant($"‖ΔW‖/‖W‖ of {what}: {list} (healthy: about 1e-3)"),
                "Raise the learning rate; a learning-rate range test finds the largest that still lowers the loss"
            );
        }
        // A full-batch loop always steps on the same batch: whether it divides by it shows in the ratio alone.
        if (Summed && all < DoctorThresholds.UpdateRatioHigh && LearnerBatch < Samples)
        {
            findings.Add(
                FindingCodes.SummedGradient,
                Severity.Info,
                Chapters.LearningRateAndBatch,
                "The update grows with the batch size: the gradient is summed, not averaged",
                Invariant($"a 4× larger batch makes the update {Fmt.G(Math.Pow(4, batchExponent))}× larger (batch^{Fmt.G(batchExponent)})"),
                "Divide the gradient by the batch size, so that the learning rate does not depend on it"
            );
        }
    }

    /// <summary>The chapter for learning that stopped: saturated sigmoids (03), otherwise looking inside the run (08).</summary>
    private Chapter StoppedCauseChapter() => findings.Has(FindingCodes.SaturatedUnits) ? Chapters.DeadSigmoids : Chapters.InsideARun;
}

namespace MnistNotebooks.Doctor;

internal sealed partial class Examination
{
    private double batchExponent = double.NaN;

    /// <summary>True when the update grows with the batch (a summed gradient, or a mean taken over a fixed count).</summary>
    private bool Summed => batchExponent > DoctorThresholds.SummedGradientExponent;

    /// <summary>How much larger the learner's update is than one measured on <paramref name="rows"/> rows: (B / rows)^e
    /// when the update grows with the batch, else 1.</summary>
    private double Emulation(int rows) => Summed && LearnerBatch > rows ? Math.Pow((double)LearnerBatch / rows, batchExponent) : 1;

    /// <summary>One update of <paramref name="p"/> on (x, y) by <paramref name="step"/>, on a copy: returns the update Δ.</summary>
    private ParameterSet Update(Func<ParameterSet, Matrix<double>, int[], ParameterSet> step, ParameterSet p, Matrix<double> x, int[] y)
    {
        ParameterSet result = step(p.Clone(), x, y);
        ParameterMath.CheckSameShapes(p, result, "Step");
        probeSteps++;
        return ParameterMath.Subtract(result, p);
    }

    /// <summary>The update on the learner's batch (its size, how it grows with the batch), its direction on a tiny
    /// batch, and what it does to the model: MN002, MN008, MN009, MN010, MN014, MN019, MN020 and the checks after it.</summary>
    private void ProbeSteps()
    {
        int b = Math.Min(LearnerBatch, options.MaxProbeBatch);
        Matrix<double> xb = patient.Inputs.SliceRows(0, b);
        int[] yb = patient.Labels[..b];
        Func<ParameterSet, Matrix<double>, int[], ParameterSet> step = patient.CreateStep();
        ParameterSet first = Update(step, p0, xb, yb);
        if (b >= 8)
        {
            int q = b / 4;
            ParameterSet quarter = Update(patient.CreateStep(), p0, xb.SliceRows(0, q), yb[..q]);
            double nb = ParameterMath.Norm(first),
                nq = ParameterMath.Norm(quarter);
            if (nb > 0 && nq > 0 && double.IsFinite(nb) && double.IsFinite(nq))
            {
                batchExponent = Math.Log(nb / nq) / Math.Log((double)b / q);
            }
        }
        Measure("update.batchExponent", batchExponent);
        double scale = Emulation(b);
        ParameterSet delta = ParameterMath.Scale(first, scale);
        string batch = Invariant($"one update on a batch of {Fmt.N(LearnerBatch)}");
        string emulated = scale != 1
            ? Invariant($" (measured on {Fmt.N(b)} of them and scaled ×{Fmt.G(scale)}, as the update grows with the batch)")
            : "";
        if (ParameterMath.FirstNonFinite(delta) is { } bad)
        {
            ReportNonFinite($"the update of '{bad.Name}' (element {bad.Index}): {Fmt.G(bad.Value)}", batch + emulated);
        }
        JudgeUpdateSize(Ratios(delta, p0), batch + emulated, afterStep: false);
        ProbeDirection(b);

        // What one update does: the same measurements on the updated copy, and the size of the next update.
        ParameterSet p1 = ParameterMath.AddScaled(p0, delta, 1);
        Observation after = Observation.Of(patient, p1, xe, ye);
        CheckOutputs(after, afterStep: true);
        CheckActivations(after, afterStep: true);
        ParameterSet next = ParameterMath.Scale(Update(step, p1, xb, yb), scale);
        JudgeUpdateSize(Ratios(next, p1), "the next update, after one", afterStep: true);
    }

    /// <summary>‖ΔW‖/‖W‖ of every weight matrix with a non-zero norm, and of all of them together.</summary>
    private static ((string Name, double Ratio)[] Each, double All) Ratios(ParameterSet delta, ParameterSet p)
    {
        var rows = ParameterMath
            .WeightNames(p)
            .Select(n => (Name: n, Weight: ParameterMath.Norm(p[n]), Update: ParameterMath.Norm(delta[n])))
            .Where(r => r.Weight > 0 && double.IsFinite(r.Weight))
            .ToArray();
        double all = Math.Sqrt(rows.Sum(r => r.Update * r.Update)) / Math.Sqrt(rows.Sum(r => r.Weight * r.Weight));
        return ([.. rows.Select(r => (r.Name, r.Update / r.Weight))], all);
    }

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
                Invariant($"‖ΔW‖/‖W‖ of {what}: {list} (below {DoctorThresholds.NoLearningRatio}: the gradient vanished)"),
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

    /// <summary>MN008 (the update climbs), MN002 and MN010 (it overshoots) on a tiny batch: the cost along the update,
    /// L(t) = Cost(p + t·Δ), near t = 0 (its slope) and at t = 1. Fitting L(t) ≈ L₀ + g·t + ½·h·t², the cost is lowest
    /// at t = 1/ρ with ρ = −h/g, and the full step lowers it only while ρ &lt; 2.</summary>
    private void ProbeDirection(int probeBatch)
    {
        int t = patient.BatchSize == 1 ? 1 : Math.Min(options.TinyBatch, probeBatch);
        Matrix<double> xt = patient.Inputs.SliceRows(0, t);
        int[] yt = patient.Labels[..t];
        ParameterSet d = ParameterMath.Scale(Update(patient.CreateStep(), p0, xt, yt), Emulation(t));
        double dn = ParameterMath.Norm(d),
            pn = ParameterMath.Norm(p0);
        if (!(dn > 0) || !double.IsFinite(dn))
        {
            return;
        }
        double tau = Math.Min(1e-2, 1e-4 * (pn > 0 ? pn : 1) / dn);
        double l0 = patient.Cost(p0, xt, yt),
            lp = patient.Cost(ParameterMath.AddScaled(p0, d, tau), xt, yt),
            lm = patient.Cost(ParameterMath.AddScaled(p0, d, -tau), xt, yt),
            l1 = patient.Cost(ParameterMath.AddScaled(p0, d, 1), xt, yt);
        if (!double.IsFinite(l0) || !double.IsFinite(lp) || !double.IsFinite(lm))
        {
            return;
        }
        // The quadratic through L(0) with the measured slope and L(1) if the full step is finite (then ρ ≥ 2 exactly
        // when the step raises the cost), else the local curvature.
        double slope = (lp - lm) / (2 * tau),
            curvature = double.IsFinite(l1) ? 2 * (l1 - l0 - slope) : (lp - 2 * l0 + lm) / (tau * tau);
        double rho = slope < 0 && curvature > 0 ? -curvature / slope : double.NaN;
        bool significant = Math.Abs(lp - lm) > 1e-11 * Math.Max(Math.Abs(l0), double.Epsilon);
        Measure("step.slope", slope);
        Measure("step.rho", rho);
        Measure("step.lossFactor", l1 / l0);
        string samples = t == 1 ? "sample 0" : Invariant($"{t} samples");
        if (slope > 0 && significant && lp > l0)
        {
            string cosine = "";
            if (patient.Gradients?.Invoke(p0.Clone(), xt, yt) is { } g && g.Count > 0)
            {
                double cos = ParameterMath.Dot(d, g) / (ParameterMath.Norm(d) * Math.Sqrt(g.Sum(kv => ParameterMath.SumOfSquares(kv.Value.Data))));
                cosine = Invariant($"; cos(update, gradient) = {Fmt.F(cos, 3)} (descent: −1)");
            }
            findings.Add(
                FindingCodes.GradientAscent,
                Severity.Error,
                Chapters.DeadSigmoids,
                "The update climbs the cost: it follows +gradient (a sign error)",
                Invariant($"on {samples}, a step of {Fmt.G(tau)}× the update raises the cost from {Fmt.G(l0)} to {Fmt.G(lp)} (slope {Fmt.G(slope)} along the update){cosine}; the full update: {Fmt.G(l1)}"),
                "Move against the gradient: w −= α·∇ (if your error term is y − ŷ it is already −∇: then add it)"
            );
            return;
        }
        if (l1 <= l0)
        {
            return;
        }
        string factor = double.IsFinite(l1) ? Invariant($" (×{Fmt.G(l1 / l0)})") : "";
        string overshoot = Invariant($"one update on {samples} takes its cost from {Fmt.G(l0)} to {Fmt.G(l1)}{factor}")
            + (double.IsFinite(rho)
                ? Invariant($"; along the update the cost is lowest at 1/ρ of it: the update is ρ = {Fmt.G(rho)} times that step (stable only while ρ < {DoctorThresholds.StabilityBound})")
                : "");
        string linear = LinearEvidence(d, xt, rho);
        if (InputsUnscaled)
        {
            findings.Add(
                FindingCodes.StepTooLargeForInputs,
                Severity.Error,
                Chapters.RawPixels,
                "The step is too large for the inputs' scale: every update overshoots and the error grows",
                overshoot + linear + Invariant($"; inputs' RMS {Fmt.G(inputs.Rms)}, largest |x| {Fmt.G(inputs.MaxAbs)}"),
                Invariant($"Scale the inputs to [0, 1] (then ‖x‖² shrinks by about 65,000), or keep α·‖x‖² < 2: α < 2 / max‖x‖² = {Fmt.G(2 / inputs.MaxSquaredNorm)}")
            );
            return;
        }
        bool blowUp = !double.IsFinite(l1) || l1 > 10 * l0;
        findings.Add(
            FindingCodes.StepIncreasesLoss,
            blowUp ? Severity.Error : Severity.Warning,
            Chapters.LearningRateAndBatch,
            "The learning rate is too large: a descent step still raises the cost of its own batch",
            overshoot + linear,
            double.IsFinite(rho)
                ? Invariant($"Divide the learning rate by at least ρ / 2 = {Fmt.G(rho / 2)} (a range test finds the best one)")
                : "Lower the learning rate until one update lowers the cost of its batch"
        );
    }

    /// <summary>For a model whose outputs are linear in its parameters, stepping on one sample: ρ = α·‖x‖², and the
    /// bound α·‖x‖² &lt; 2 over every sample.</summary>
    private string LinearEvidence(ParameterSet d, Matrix<double> xt, double rho)
    {
        if (patient.OutputKind == OutputKind.Probabilities || xt.Rows != 1 || !double.IsFinite(rho))
        {
            return "";
        }
        Matrix<double> o0 = patient.Outputs(p0, xt),
            o1 = patient.Outputs(ParameterMath.AddScaled(p0, d, 1), xt),
            oh = patient.Outputs(ParameterMath.AddScaled(p0, d, 0.5), xt);
        double scale = 1,
            off = 0;
        for (int i = 0; i < o0.Length; i++)
        {
            scale = Math.Max(scale, Math.Max(Math.Abs(o0.Data[i]), Math.Abs(o1.Data[i])));
            off = Math.Max(off, Math.Abs(oh.Data[i] - 0.5 * (o0.Data[i] + o1.Data[i])));
        }
        double x2 = inputs.SquaredNorms[0];
        if (off > 1e-9 * scale || x2 <= 0)
        {
            return "";
        }
        double alpha = rho / x2;
        double[] products = [.. inputs.SquaredNorms.Select(s => alpha * s)];
        int stable = products.Count(v => v < DoctorThresholds.StabilityBound);
        Measure("linear.alpha", alpha);
        Measure("linear.alphaX2.mean", products.Average());
        return Invariant(
            $"; the outputs are linear in the parameters, so ρ = α·‖x‖² exactly: ‖x‖² = {Fmt.G(x2)}, α = {Fmt.G(alpha)}; over all {Fmt.N(products.Length)} samples α·‖x‖² is {Fmt.G(products.Average())} on average ({Fmt.G(products.Min())} … {Fmt.G(products.Max())}), below 2 for {(stable == 0 ? "none of them" : Fmt.N(stable))}"
        );
    }

    /// <summary>The chapter for learning that stopped: saturated sigmoids (03), otherwise looking inside the run (08).</summary>
    private Chapter StoppedCauseChapter() =>
        findings.Has(FindingCodes.SaturatedUnits) ? Chapters.DeadSigmoids : Chapters.InsideARun;
}

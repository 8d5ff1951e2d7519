namespace MnistNotebooks.Doctor;

internal sealed partial class Examination
{
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
                double cos =
                    ParameterMath.Dot(d, g) / (ParameterMath.Norm(d) * Math.Sqrt(g.Sum(kv => ParameterMath.SumOfSquares(kv.Value.Data))));
                cosine = Invariant($"; cos(update, gradient) = {Fmt.F(cos, 3)} (descent: −1)");
            }
            findings.Add(
                FindingCodes.GradientAscent,
                Severity.Error,
                Chapters.DeadSigmoids,
                "The update climbs the cost: it follows +gradient (a sign error)",
                Invariant(
                    $"on {samples}, a step of {Fmt.G(tau)}× the update raises the cost from {Fmt.G(l0)} to {Fmt.G(lp)} (slope {Fmt.G(slope)} along the update){cosine}; the full update: {Fmt.G(l1)}"
                ),
                "Move against the gradient: w −= α·∇ (if your error term is y − ŷ it is already −∇: then add it)"
            );
            return;
        }
        if (l1 <= l0)
        {
            return;
        }
        string factor = double.IsFinite(l1) ? Invariant($" (×{Fmt.G(l1 / l0)})") : "";
        string overshoot =
            Invariant($"one update on {samples} takes its cost from {Fmt.G(l0)} to {Fmt.G(l1)}{factor}")
            + (
                double.IsFinite(rho)
                    ? Invariant(
                        $"; along the update the cost is lowest at 1/ρ of it: the update is ρ = {Fmt.G(rho)} times that step (stable only while ρ < {DoctorThresholds.StabilityBound})"
                    )
                    : ""
            );
        string linear = LinearEvidence(d, xt, rho);
        if (InputsUnscaled)
        {
            findings.Add(
                FindingCodes.StepTooLargeForInputs,
                Severity.Error,
                Chapters.RawPixels,
                "The step is too large for the inputs' scale: every update overshoots and the error grows",
                overshoot + linear + Invariant($"; inputs' RMS {Fmt.G(inputs.Rms)}, largest |x| {Fmt.G(inputs.MaxAbs)}"),
                Invariant(
                    $"Scale the inputs to [0, 1] (then ‖x‖² shrinks by about 65,000), or keep α·‖x‖² < 2: α < 2 / max‖x‖² = {Fmt.G(2 / inputs.MaxSquaredNorm)}"
                )
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
}

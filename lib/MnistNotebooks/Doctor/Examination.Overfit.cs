namespace MnistNotebooks.Doctor;

internal sealed partial class Examination
{
    /// <summary>MN017 (and MN018 when it blows up): repeated updates on one image per class, on a copy, must at least
    /// halve their cost. Returns the parameters it reached (for MN016), or null when it could not run.</summary>
    private ParameterSet? ProbeOverfit()
    {
        var rows = new List<int>();
        var seen = new HashSet<int>();
        for (int r = 0; r < Samples && rows.Count < Classes; r++)
        {
            if (seen.Add(patient.Labels[r]))
            {
                rows.Add(r);
            }
        }
        if (rows.Count < 2)
        {
            notExamined.Add("overfitting one small batch: the inputs hold a single class");
            return null;
        }
        Matrix<double> xo = patient.Inputs.GatherRows([.. rows]);
        int[] yo = [.. rows.Select(r => patient.Labels[r])];
        int per = patient.BatchSize == 1 ? 1 : rows.Count;
        double scale = Emulation(per);
        double perUpdate = (double)p0.TotalLength * (rows.Count + 3 * per);
        int maxSteps = (int)Math.Clamp(options.OverfitBudget / perUpdate, Math.Min(20, options.OverfitSteps), options.OverfitSteps);
        Func<ParameterSet, Matrix<double>, int[], ParameterSet> step = patient.CreateStep();
        double start = patient.Cost(p0, xo, yo),
            cost = start;
        ParameterSet p = p0;
        int taken = 0;
        bool Fitted() =>
            cost <= DoctorThresholds.OverfitTarget * start
            // An already trained model may not halve a small cost quickly; classifying every image right while the cost
            // still falls is fitting too (checked every 10 updates: it costs a forward pass).
            || (taken % 10 == 0 && cost < start && AllCorrect(p, xo, yo));
        while (taken < maxSteps && !Fitted())
        {
            (Matrix<double> x, int[] y) =
                per == 1 ? (xo.SliceRows(taken % rows.Count, 1), yo[(taken % rows.Count)..(taken % rows.Count + 1)]) : (xo, yo);
            p = ParameterMath.AddScaled(p, ParameterMath.Scale(Update(step, p, x, y), scale), 1);
            taken++;
            cost = patient.Cost(p, xo, yo);
            string when = Invariant($"during the overfitting probe, after update {taken} on {rows.Count} images (one per class)");
            if (ParameterMath.FirstNonFinite(p) is { } bad)
            {
                ReportNonFinite($"the parameter '{bad.Name}' (element {bad.Index}): {Fmt.G(bad.Value)}", when);
                break;
            }
            if (!double.IsFinite(cost))
            {
                ReportNonFinite($"the cost: {Fmt.G(cost)}", when);
                break;
            }
        }
        Measure("overfit.steps", taken);
        Measure("overfit.costRatio", cost / start);
        if (cost <= DoctorThresholds.OverfitTarget * start || (cost < start && AllCorrect(p, xo, yo)))
        {
            return p;
        }
        string rose = cost > start ? " (it rose)" : "";
        findings.Add(
            FindingCodes.CannotOverfit,
            Severity.Warning,
            Chapters.LearningRateAndBatch,
            "Training cannot even fit one small batch",
            Invariant(
                $"{taken} update{(taken == 1 ? "" : "s")} on {rows.Count} images (one per class) take{(taken == 1 ? "s" : "")} their cost from {Fmt.G(start)} to {Fmt.G(cost)}{rose}; a working loop halves it, or classifies every image right, within {options.OverfitSteps}"
            ),
            "Make this work first: a model that cannot memorise ten images has a bug (sign, gradient, dead units) or a learning rate far off"
        );
        return p;
    }

    private bool AllCorrect(ParameterSet p, Matrix<double> x, int[] y)
    {
        int[] predicted = Metrics.Predictions.Argmax(patient.Outputs(p, x));
        return predicted.AsSpan().SequenceEqual(y);
    }
}

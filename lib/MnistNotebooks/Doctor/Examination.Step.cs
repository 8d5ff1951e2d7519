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
            // Against the mean size of the updates on its four quarters: for an update linear in a mean gradient the
            // whole batch's update is their mean, never larger (e ≤ 0); for a summed one it is their sum (e up to 1).
            int q = b / 4;
            double nq = Enumerable
                .Range(0, 4)
                .Average(k => ParameterMath.Norm(Update(patient.CreateStep(), p0, xb.SliceRows(k * q, q), yb[(k * q)..((k + 1) * q)])));
            double nb = ParameterMath.Norm(first);
            if (nb > 0 && nq > 0 && double.IsFinite(nb) && double.IsFinite(nq))
            {
                batchExponent = Math.Log(nb / nq) / Math.Log((double)b / q);
            }
        }
        Measure("update.batchExponent", batchExponent);
        double scale = Emulation(b);
        ParameterSet delta = ParameterMath.Scale(first, scale);
        string batch = Invariant($"one update on a batch of {Fmt.N(LearnerBatch)}");
        string emulated =
            scale != 1
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
}

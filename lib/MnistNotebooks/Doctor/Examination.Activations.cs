using MnistNotebooks.Diagnostics;

namespace MnistNotebooks.Doctor;

internal sealed partial class Examination
{
    /// <summary>MN004: a sample's outputs must not depend on the other samples of its batch.</summary>
    private void CheckBatchDependence()
    {
        int k = Math.Min(16, xe.Rows / 2);
        Matrix<double> alone = patient.Outputs(p0, xe.SliceRows(0, k));
        Matrix<double> together = patient.Outputs(p0, xe.SliceRows(0, 2 * k));
        double change = ParameterMath.MaxRelativeDifference(alone.Data, together.Data.AsSpan(0, alone.Length));
        Measure("batchDependence", change);
        if (change <= DoctorThresholds.BatchDependenceTolerance)
        {
            return;
        }
        findings.Add(
            FindingCodes.OutputsDependOnBatch,
            Severity.Error,
            Chapters.WrongAxis,
            "A sample's outputs depend on the other samples in its batch",
            Invariant($"the outputs of samples 0..{k - 1} change by up to {Fmt.Pct(change)} when {k} more samples join their batch"),
            "Compute each sample's outputs from its own row only: reduce over the class axis (axis=1), never over the samples"
        );
    }

    /// <summary>MN012 (saturated sigmoid/tanh) and MN013 (dead ReLU) on the hidden layers' outputs.</summary>
    private void CheckActivations(Observation o, bool afterStep)
    {
        if (!afterStep && o.Activations.Count == 0)
        {
            notExamined.Add("hidden units (saturation, dead ReLUs): give Activations");
            return;
        }
        string prefix = afterStep ? "after one update: " : "";
        string tag = afterStep ? ".after" : "";
        (string Name, double Share)? saturated = null,
            dead = null;
        foreach (Activation a in o.Activations)
        {
            ActivationStats s = ActivationStatistics.Compute(a.Name, a.Values, a.Kind, DoctorThresholds.SaturationMargin);
            if (a.Kind is ActivationKind.Sigmoid or ActivationKind.Tanh && s.SaturatedFraction > (saturated?.Share ?? -1))
            {
                saturated = (a.Name, s.SaturatedFraction);
            }
            if (a.Kind == ActivationKind.Relu && s.DeadFraction > (dead?.Share ?? -1))
            {
                dead = (a.Name, s.DeadFraction);
            }
        }
        if (saturated is { } sat)
        {
            Measure("saturated.max" + tag, sat.Share);
            if (sat.Share >= DoctorThresholds.SaturatedWarning)
            {
                findings.Add(
                    FindingCodes.SaturatedUnits,
                    sat.Share >= DoctorThresholds.SaturatedError ? Severity.Error : Severity.Warning,
                    Chapters.DeadSigmoids,
                    "Hidden units are saturated: their derivative is about 0, so no gradient passes",
                    prefix
                        + Invariant(
                            $"{Fmt.Pct(sat.Share)} of the outputs of '{sat.Name}' are within {DoctorThresholds.SaturationMargin} of their bounds on {Fmt.N(o.Outputs.Rows)} samples"
                        ),
                    "Keep pre-activations near 0: scaled inputs, Xavier initialisation, a learning rate on the mean gradient"
                );
            }
        }
        if (dead is { } d)
        {
            Measure("dead.max" + tag, d.Share);
            if (d.Share >= DoctorThresholds.DeadWarning)
            {
                findings.Add(
                    FindingCodes.DeadRelu,
                    d.Share >= DoctorThresholds.DeadError ? Severity.Error : Severity.Warning,
                    Chapters.InsideARun,
                    "ReLU units are dead: 0 for every sample, so they never learn again",
                    prefix + Invariant($"{Fmt.Pct(d.Share)} of the units of '{d.Name}' output 0 for all {Fmt.N(o.Outputs.Rows)} samples"),
                    "Use He initialisation with zero (or small positive) biases and a smaller learning rate"
                );
            }
        }
    }
}

using MnistNotebooks.GradientChecking;

namespace MnistNotebooks.Doctor;

internal sealed partial class Examination
{
    /// <summary>MN007: the learner's gradients against central differences of the learner's cost, in double, on a few rows.</summary>
    private void CheckGradients()
    {
        if (patient.Gradients is null)
        {
            notExamined.Add("the gradients (gradient check): give Gradients");
            return;
        }
        int rows = Math.Min(options.GradientCheckSamples, Samples);
        Matrix<double> xg = patient.Inputs.SliceRows(0, rows);
        int[] yg = patient.Labels[..rows];
        ParameterSet values = p0.Clone();
        ParameterSet analytic = patient.Gradients(p0.Clone(), xg, yg);
        ArgumentNullException.ThrowIfNull(analytic, "Gradients");
        var tensors = new List<(string Name, Matrix<double> Value, Matrix<double> Gradient)>();
        foreach ((string name, Matrix<double> g) in analytic)
        {
            if (!values.Contains(name))
            {
                throw new InvalidOperationException(
                    $"Gradients returned '{name}', which is not a parameter; the parameters are {p0.Describe()}"
                );
            }
            Matrix<double> v = values[name];
            if (g.Rows != v.Rows || g.Cols != v.Cols)
            {
                throw new InvalidOperationException($"Gradients returned '{name}' of shape {g.Shape}; expected {v.Shape}, the parameter's");
            }
            tensors.Add((name, v, g));
        }
        if (ParameterMath.FirstNonFinite(analytic) is { } bad)
        {
            ReportNonFinite($"the gradient of '{bad.Name}' (element {bad.Index}): {Fmt.G(bad.Value)}", $"now, on {rows} samples");
            return;
        }
        string[] missing = [.. p0.Names.Where(n => !analytic.Contains(n))];
        if (missing.Length > 0)
        {
            notExamined.Add($"the gradients of {string.Join(", ", missing)}: Gradients did not return them");
        }
        var check = new GradientCheckOptions { MaxEntriesPerTensor = options.GradientCheckEntries, Seed = options.Seed };
        GradientCheckResult result = GradientCheck.Compare(tensors, () => patient.Cost(values, xg, yg), check);
        Measure("gradientCheck.maxRelative", result.Tensors.Count == 0 ? 0 : result.Tensors.Max(t => t.MaxRelativeError));
        if (result.Passed)
        {
            return;
        }
        TensorCheck[] failed = [.. result.Tensors.Where(t => !t.Passed)];
        string passed = string.Join(", ", result.Tensors.Where(t => t.Passed).Select(t => t.Name));
        string evidence = string.Join(
            "; ",
            failed.Select(t =>
                Invariant(
                    $"{t.Name} {t.Shape} max rel {Fmt.G(t.MaxRelativeError)} ({Fmt.G(t.WorstAnalytic)} given vs {Fmt.G(t.WorstNumeric)} numeric)"
                )
            )
        );
        findings.Add(
            FindingCodes.GradientCheckFailed,
            Severity.Error,
            Chapters.WrongGradient,
            $"The gradient of {string.Join(", ", failed.Select(t => t.Name))} is wrong: it fails a float64 gradient check",
            evidence
                + Invariant($" (tolerance {Fmt.G(check.RelativeTolerance)}, {rows} samples, ε {Fmt.G(check.Epsilon)})")
                + (passed.Length > 0 ? $"; {passed} pass" : ""),
            "Re-derive the backward pass of those tensors from your cost, line by line, and re-run the check until it passes"
        );
    }
}

using System.Diagnostics;
using System.Globalization;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Doctor;

/// <summary>One examination of a patient: measurements on its current parameters, then probes on copies (a gradient
/// check, the direction and size of one update, what one update does, overfitting one small batch). Each part adds
/// the findings its numbers support; the parts are in the files Examination.*.cs.</summary>
internal sealed partial class Examination
{
    private readonly Patient patient;
    private readonly DoctorOptions options;
    private readonly ParameterSet p0;
    private readonly FindingList findings = new();
    private readonly Dictionary<string, double> measured = new(StringComparer.Ordinal);
    private readonly List<string> notExamined = [];
    private readonly Matrix<double> xe;
    private readonly int[] ye;
    private InputStats inputs = null!;
    private Observation now = null!;
    private bool nonFiniteReported;
    private int probeSteps;

    private Examination(Patient patient, DoctorOptions options)
    {
        this.patient = patient;
        this.options = options;
        // The doctor's copy: the learner's matrices are never handed to the learner's functions.
        p0 = patient.Parameters.Clone();
        int n = patient.Inputs.Rows;
        if (n <= options.ExaminationSamples)
        {
            (xe, ye) = (patient.Inputs, patient.Labels);
        }
        else
        {
            int[] rows = new RandomState(options.Seed).Permutation(n)[..options.ExaminationSamples];
            Array.Sort(rows);
            xe = patient.Inputs.GatherRows(rows);
            ye = [.. rows.Select(r => patient.Labels[r])];
        }
    }

    private int Samples => patient.Inputs.Rows;

    private int Classes => now.Classes;

    /// <summary>The learner's batch size: the whole input for a full-batch loop.</summary>
    private int LearnerBatch => patient.BatchSize == Patient.FullBatch ? Samples : Math.Min(patient.BatchSize, Samples);

    public static DoctorReport Run(Patient patient, DoctorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(patient);
        options ??= new DoctorOptions();
        options.Validate();
        Validate(patient);
        long start = Stopwatch.GetTimestamp();
        var e = new Examination(patient, options);
        e.CheckInputs();
        e.now = Observation.Of(patient, e.p0, e.xe, e.ye);
        e.CheckOutputs(e.now, afterStep: false);
        e.CheckBatchDependence();
        e.CheckActivations(e.now, afterStep: false);
        e.CheckGradients();
        ParameterSet? trained = null;
        if (patient.CanStep)
        {
            e.ProbeSteps();
            trained = e.ProbeOverfit();
        }
        else
        {
            e.notExamined.Add("the update (direction, size, what one step does, overfitting one batch): give Step");
        }
        e.CheckIdenticalOutputs(trained);
        return new DoctorReport(
            patient.Name,
            e.findings.Ordered(),
            e.notExamined,
            e.measured,
            patient.Inputs.Rows,
            e.xe.Rows,
            e.probeSteps,
            Stopwatch.GetElapsedTime(start)
        );
    }

    private static void Validate(Patient patient)
    {
        ArgumentNullException.ThrowIfNull(patient.Inputs, nameof(patient.Inputs));
        ArgumentNullException.ThrowIfNull(patient.Labels, nameof(patient.Labels));
        ArgumentNullException.ThrowIfNull(patient.Parameters, nameof(patient.Parameters));
        if (patient.Inputs.Rows < 2)
        {
            throw new ArgumentException($"Expected at least 2 samples in Inputs but got {patient.Inputs.Shape}", nameof(patient));
        }
        if (patient.Labels.Length != patient.Inputs.Rows)
        {
            throw new ArgumentException(
                $"Expected {patient.Inputs.Rows} labels, one per row of Inputs {patient.Inputs.Shape}, but got {patient.Labels.Length}",
                nameof(patient)
            );
        }
        if (patient.BatchSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(patient), patient.BatchSize, "Expected BatchSize ≥ 1, or 0 for full batch");
        }
    }

    /// <summary>Reports the first NaN or ±∞ the examination meets (later ones follow from it).</summary>
    private void ReportNonFinite(string where, string when)
    {
        if (nonFiniteReported)
        {
            return;
        }
        nonFiniteReported = true;
        findings.Add(
            FindingCodes.NonFinite,
            Severity.Error,
            Chapters.InsideARun,
            $"A NaN or ∞ first appears in {where}",
            $"{when}; every later value computed from it is NaN",
            "Fix the cause the findings above name; until then check every result for NaN (Trainer: CheckFinite = true)"
        );
    }

    private void Measure(string name, double value) => measured[name] = value;

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

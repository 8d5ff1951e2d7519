namespace MnistNotebooks.Doctor;

/// <summary>How much the doctor looks at: sample sizes of its measurements and probes, and the seed of its choices.</summary>
public sealed record DoctorOptions
{
    /// <summary>Samples (drawn with <see cref="Seed"/>) on which outputs, the loss and activations are measured.</summary>
    public int ExaminationSamples { get; init; } = 1000;

    /// <summary>Rows of the batch a gradient check runs on (each checked entry costs two forward passes of it).</summary>
    public int GradientCheckSamples { get; init; } = 8;

    /// <summary>Entries checked per parameter tensor (all of a smaller tensor).</summary>
    public int GradientCheckEntries { get; init; } = 12;

    /// <summary>Rows of the tiny batch on which the direction of the update is probed (1 for a per-sample loop).</summary>
    public int TinyBatch { get; init; } = 16;

    /// <summary>The largest batch a probe step runs on; a larger learner's batch is emulated (see <see cref="Patient.BatchSize"/>).</summary>
    public int MaxProbeBatch { get; init; } = 2048;

    /// <summary>Steps the overfitting probe may take on its small batch (it stops once the cost has halved).</summary>
    public int OverfitSteps { get; init; } = 300;

    /// <summary>The overfitting probe's budget in multiply-adds (it takes fewer steps on a large model).</summary>
    public double OverfitBudget { get; init; } = 2e9;

    /// <summary>Seeds the examination sample and the gradient check's entries.</summary>
    public int Seed { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ExaminationSamples, 2, nameof(ExaminationSamples));
        ArgumentOutOfRangeException.ThrowIfLessThan(GradientCheckSamples, 1, nameof(GradientCheckSamples));
        ArgumentOutOfRangeException.ThrowIfLessThan(GradientCheckEntries, 1, nameof(GradientCheckEntries));
        ArgumentOutOfRangeException.ThrowIfLessThan(TinyBatch, 1, nameof(TinyBatch));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxProbeBatch, 1, nameof(MaxProbeBatch));
        ArgumentOutOfRangeException.ThrowIfNegative(OverfitSteps, nameof(OverfitSteps));
    }
}

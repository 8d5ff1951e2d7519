namespace MnistNotebooks.GradientChecking;

/// <summary>How a <see cref="GradientCheck"/> samples, perturbs and judges. An entry passes when
/// |a − n| / max(|a|, |n|, AbsoluteTolerance / RelativeTolerance) ≤ RelativeTolerance: relative error for
/// ordinary entries, absolute error ≤ AbsoluteTolerance for entries too small for a relative error to mean anything.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>The central-difference step h: n = (L(w + h) − L(w − h)) / 2h.</summary>
    public double Epsilon { get; init; } = 1e-6;

    /// <summary>At most this many entries per tensor, drawn without replacement; smaller tensors are checked whole.
    /// Each checked entry costs two double forward passes of the whole batch: check on a small batch (10 to 20 rows).</summary>
    public int MaxEntriesPerTensor { get; init; } = 50;

    /// <summary>Seeds the choice of sampled entries.</summary>
    public int Seed { get; init; }

    /// <summary>Largest relative error accepted; in double a right gradient typically gives 1e-7 or less.</summary>
    public double RelativeTolerance { get; init; } = 1e-3;

    /// <summary>Largest absolute error accepted for entries smaller than AbsoluteTolerance / RelativeTolerance.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-7;

    /// <summary>The precision <see cref="GradientCheck.Check"/> copies the model into; Compare checks in the tensors' own.</summary>
    public CheckPrecision Precision { get; init; } = CheckPrecision.Double;
}

namespace MnistNotebooks.Doctor;

/// <summary>The thresholds of the doctor's rules, each a safe distance from what healthy and broken runs measure.</summary>
public static class DoctorThresholds
{
    /// <summary>MN001: input RMS above this is unscaled (raw pixels: 85; pixels / 255: 0.33; standardised: 1).</summary>
    public const double InputRmsHigh = 10;

    /// <summary>MN001: input RMS below this (and not all zero) is scaled away (pixels / 255 / 255: 0.0013).</summary>
    public const double InputRmsLow = 0.01;

    /// <summary>MN002, MN010: along its direction the loss is locally L(t) ≈ L₀ + g·t + ½·h·t²; a step of t = 1 lowers it
    /// only while ρ = −h/g &lt; 2 (for a linear model on one sample, ρ = α·‖x‖²).</summary>
    public const double StabilityBound = 2;

    /// <summary>MN003: |Σ over classes − 1| above this in any row (a float64 softmax is exact to about 1e-15).</summary>
    public const double RowSumTolerance = 1e-6;

    /// <summary>MN004: largest relative change of a sample's outputs when it is forwarded in another batch.</summary>
    public const double BatchDependenceTolerance = 1e-9;

    /// <summary>MN009: ‖ΔW‖/‖W‖ of one update, over all weight matrices together, at or above this is a warning (Adam's
    /// first step at 1e-3 on 784-300-10: about 0.02).</summary>
    public const double UpdateRatioHigh = 0.3;

    /// <summary>MN009: at or above this the update is larger than the weights themselves: an error.</summary>
    public const double UpdateRatioFar = 1;

    /// <summary>MN019: ‖ΔW‖/‖W‖ below this: the update barely moves the weights.</summary>
    public const double UpdateRatioLow = 1e-6;

    /// <summary>MN014: ‖ΔW‖/‖W‖ below this for every weight matrix: learning has stopped.</summary>
    public const double NoLearningRatio = 1e-10;

    /// <summary>MN020: the update grows as batch^e with e above this (0 for a mean gradient, 0.5 to 1 for a sum).</summary>
    public const double SummedGradientExponent = 0.25;

    /// <summary>MN011: cross-entropy more than this above ln K is a note.</summary>
    public const double InitialLossNote = 0.1;

    /// <summary>MN011: cross-entropy more than this above ln K is a warning.</summary>
    public const double InitialLossWarning = 1.5;

    /// <summary>MN012: share of saturated hidden sigmoid/tanh outputs for a warning; <see cref="SaturatedError"/> for an error.</summary>
    public const double SaturatedWarning = 0.7;

    public const double SaturatedError = 0.95;

    /// <summary>MN012: a sigmoid is saturated below this or above 1 − this; a tanh beyond ±(1 − this).</summary>
    public const double SaturationMargin = 0.01;

    /// <summary>MN013: share of dead units in a ReLU layer for a warning; <see cref="DeadError"/> (the layer) for an error.</summary>
    public const double DeadWarning = 0.5;

    public const double DeadError = 0.99;

    /// <summary>MN015: share of predictions in one class.</summary>
    public const double CollapseShare = 0.9;

    /// <summary>MN016: outputs count as identical when no entry differs from the first sample's by more than this
    /// times max(1, |entry|).</summary>
    public const double IdenticalOutputs = 1e-12;

    /// <summary>MN017: the probe must bring the small batch's cost below this fraction of its start.</summary>
    public const double OverfitTarget = 0.5;

    /// <summary>MN005: where exp overflows: ln(double.MaxValue) ≈ 709.78 or ln(float.MaxValue) ≈ 88.72.</summary>
    public static double ExpLimit(NumericPrecision precision) =>
        precision == NumericPrecision.Float32 ? Math.Log(float.MaxValue) : Math.Log(double.MaxValue);
}

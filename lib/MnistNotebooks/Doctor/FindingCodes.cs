namespace MnistNotebooks.Doctor;

/// <summary>The stable codes of the doctor's findings. MN001–MN020 are numbered in causal order: a finding can explain
/// the ones after it (unscaled inputs explain an unstable step, a missing learning rate explains saturated units), so
/// among findings of equal severity the report lists the lower code first; later codes are appended, never renumbered.
/// Thresholds are in <see cref="DoctorThresholds"/>.</summary>
public static class FindingCodes
{
    /// <summary>Inputs not scaled: the root mean square of the input features is above
    /// <see cref="DoctorThresholds.InputRmsHigh"/> (raw pixels: 85) or below <see cref="DoctorThresholds.InputRmsLow"/>.</summary>
    public const string InputsNotScaled = "MN001";

    /// <summary>The update overshoots because of the inputs' scale: on a probe batch the step is ρ ≥ 2 times the length
    /// that minimises the loss along it (for a linear model on one sample ρ = α·‖x‖²), and the inputs are not scaled.</summary>
    public const string StepTooLargeForInputs = "MN002";

    /// <summary>Probabilities whose rows do not sum to 1 over the classes (e.g. normalised over the samples).</summary>
    public const string OutputsNotNormalized = "MN003";

    /// <summary>A sample's outputs change when the other samples of its batch change.</summary>
    public const string OutputsDependOnBatch = "MN004";

    /// <summary>Logits beyond exp's overflow limit for the precision in use (709.78 in float64, 88.72 in float32), or
    /// probabilities that are NaN/∞ where a stable softmax of the same logits is finite.</summary>
    public const string SoftmaxOverflow = "MN005";

    /// <summary>The cost is not finite although the outputs are: log of a probability that is exactly 0.</summary>
    public const string LogOfZero = "MN006";

    /// <summary>The given gradients fail a float64 gradient check (central differences of the cost).</summary>
    public const string GradientCheckFailed = "MN007";

    /// <summary>The update climbs: the cost rises along the step direction on a tiny batch (a sign error).</summary>
    public const string GradientAscent = "MN008";

    /// <summary>One update moves the weight matrices, together, by ‖ΔW‖/‖W‖ ≥ <see cref="DoctorThresholds.UpdateRatioHigh"/>
    /// (healthy: about 1e-3).</summary>
    public const string UpdateTooLarge = "MN009";

    /// <summary>A descent step that still raises the cost on a tiny batch: the learning rate is too large.</summary>
    public const string StepIncreasesLoss = "MN010";

    /// <summary>The cross-entropy before training is far above ln K (a network that knows nothing scores ln K).</summary>
    public const string InitialLossHigh = "MN011";

    /// <summary>Hidden sigmoid or tanh units saturated (output within 0.01 of its bounds) for most samples.</summary>
    public const string SaturatedUnits = "MN012";

    /// <summary>Hidden ReLU units that are 0 for every examined sample.</summary>
    public const string DeadRelu = "MN013";

    /// <summary>The update has vanished (‖ΔW‖/‖W‖ below <see cref="DoctorThresholds.NoLearningRatio"/>): learning stopped.</summary>
    public const string LearningStopped = "MN014";

    /// <summary>At least <see cref="DoctorThresholds.CollapseShare"/> of the predictions are one class.</summary>
    public const string PredictionsCollapsed = "MN015";

    /// <summary>Every input gets the same output, and training does not change that: the loss is stuck (at ln K for a
    /// balanced batch).</summary>
    public const string OutputsIgnoreInput = "MN016";

    /// <summary>The update cannot halve the cost of one small batch (one image per class).</summary>
    public const string CannotOverfit = "MN017";

    /// <summary>The first NaN or ±∞, named by where it appeared (layer and operation, or the learner's function).</summary>
    public const string NonFinite = "MN018";

    /// <summary>One update moves the weights by less than <see cref="DoctorThresholds.UpdateRatioLow"/> of their size.</summary>
    public const string UpdateTooSmall = "MN019";

    /// <summary>The update grows with the batch size: the gradient is summed, not averaged, over the batch.</summary>
    public const string SummedGradient = "MN020";

    /// <summary>Outputs declared as logits are already probabilities (every row in [0, 1], summing to 1): a softmax is
    /// applied twice, and the cross-entropy cannot fall below ln(K − 1 + e) − 1.</summary>
    public const string SoftmaxTwice = "MN021";
}

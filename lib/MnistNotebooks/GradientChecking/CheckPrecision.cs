namespace MnistNotebooks.GradientChecking;

/// <summary>Where a gradient check perturbs the parameters and evaluates the loss.</summary>
public enum CheckPrecision
{
    /// <summary>Double copies of the parameters through the double reference paths: the check to trust.</summary>
    Double,

    /// <summary>The float32 parameters and the float32 forward: shown to fail, since at small ε the loss
    /// difference drowns in float32 rounding (about 1e-7 relative) and at large ε in truncation error.</summary>
    Float32,
}

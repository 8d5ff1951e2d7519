namespace MnistNotebooks.GradientChecking;

/// <summary>Where a gradient check perturbs the parameters and evaluates the loss.</summary>
public enum CheckPrecision
{
    /// <summary>A double copy of the model and loss: the check to trust.</summary>
    Double,

    /// <summary>A float32 copy: shown to fail, since at small ε the loss
    /// difference drowns in float32 rounding (about 1e-7 relative) and at large ε in truncation error.</summary>
    Float32,
}

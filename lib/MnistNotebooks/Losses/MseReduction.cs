namespace MnistNotebooks.Losses;

/// <summary>What <see cref="MeanSquaredError{T}"/> divides the summed squared error by.</summary>
public enum MseReduction
{
    /// <summary>÷ batch: the per-sample loss summed over classes, averaged over samples (the convention of every loss here).</summary>
    MeanOverBatch,

    /// <summary>÷ (batch · classes): the mean over every element, PyTorch's <c>MSELoss()</c>.</summary>
    MeanOverElements,

    /// <summary>No division: the sum over the whole batch.</summary>
    Sum,
}

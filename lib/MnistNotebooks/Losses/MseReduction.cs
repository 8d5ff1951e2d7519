namespace MnistNotebooks.Losses;

/// <summary>What <see cref="MeanSquaredError"/> divides the summed squared error by.</summary>
public enum MseReduction
{
    /// <summary>÷ batch: the per-sample loss summed over classes, averaged over samples (seed 004; the ILoss convention).</summary>
    MeanOverBatch,

    /// <summary>÷ (batch · classes): the mean over every element, PyTorch's <c>MSELoss()</c>.</summary>
    MeanOverElements,

    /// <summary>No division: the full-batch sum (seed 001's <c>np.dot(input.T, ...)</c> with no 1/m).</summary>
    Sum,
}

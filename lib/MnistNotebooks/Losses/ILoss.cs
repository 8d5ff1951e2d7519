namespace MnistNotebooks.Losses;

/// <summary>A loss over a batch: Forward returns the mean loss over the rows and caches what Backward needs;
/// Backward returns dL/doutput (batch, classes), already divided by the batch size.</summary>
public interface ILoss
{
    /// <summary>Mean loss of <paramref name="output"/> (batch, classes) against integer <paramref name="labels"/> (batch).</summary>
    float Forward(Matrix output, ReadOnlySpan<int> labels);

    /// <summary>dL/doutput for the last Forward; owned by the loss and reused.</summary>
    Matrix Backward();
}

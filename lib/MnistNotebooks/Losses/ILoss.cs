using System.Numerics;

namespace MnistNotebooks.Losses;

/// <summary>A loss over a batch: Forward returns the mean loss over the rows and caches what Backward needs;
/// Backward returns dL/doutput (batch, classes), already divided by the batch size.</summary>
public interface ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Mean loss of <paramref name="output"/> (batch, classes) against integer <paramref name="labels"/> (batch).</summary>
    T Forward(Matrix<T> output, ReadOnlySpan<int> labels);

    /// <summary>dL/doutput for the last Forward; owned by the loss and reused.</summary>
    Matrix<T> Backward();

    /// <summary>The same loss in another precision (the gradient check runs a float loss in double).</summary>
    ILoss<TOther> Convert<TOther>()
        where TOther : unmanaged, IFloatingPointIeee754<TOther>;
}

namespace MnistNotebooks.Losses;

/// <summary>A slow double-precision reference of a loss, for gradient checking in double.</summary>
public interface IDoubleLoss
{
    /// <summary>The mean loss, in double, of <paramref name="output"/> (batch, classes) row-major against <paramref name="labels"/> (batch).</summary>
    double ForwardDouble(double[] output, int batch, ReadOnlySpan<int> labels);
}

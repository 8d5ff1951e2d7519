using System.Runtime.CompilerServices;

namespace MnistNotebooks.Data;

/// <summary>Mean and standard deviation of all pixels on the [0, 1] scale (MNIST train: 0.1307, 0.3081); standardised x = (p/255 − Mean) / Std.</summary>
public sealed record PixelStats(float Mean, float Std)
{
    /// <summary>Mean and (population) standard deviation of <paramref name="pixels"/> (bytes 0..255) after dividing by 255, exact via a 256-bin histogram.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PixelStats Of(ReadOnlySpan<byte> pixels)
    {
        if (pixels.IsEmpty)
        {
            throw new ArgumentException("Expected at least one pixel to compute a mean and standard deviation, found none", nameof(pixels));
        }
        Span<long> histogram = stackalloc long[256];
        histogram.Clear();
        foreach (byte p in pixels)
        {
            histogram[p]++;
        }
        double sum = 0,
            sumSquares = 0;
        for (int v = 0; v < 256; v++)
        {
            double x = v / 255.0;
            sum += histogram[v] * x;
            sumSquares += histogram[v] * x * x;
        }
        double mean = sum / pixels.Length;
        double variance = Math.Max(0, (sumSquares / pixels.Length) - (mean * mean));
        return new PixelStats((float)mean, (float)Math.Sqrt(variance));
    }

    public override string ToString() => FormattableString.Invariant($"mean {Mean:F4}, std {Std:F4}");
}

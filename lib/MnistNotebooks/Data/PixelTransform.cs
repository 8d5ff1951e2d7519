using System.Numerics;
using System.Runtime.CompilerServices;

namespace MnistNotebooks.Data;

/// <summary>Bytes to floats as y = ((p / divisor) − mean) / std, vectorised; <see cref="Reference"/> is the scalar twin it must match bit for bit.</summary>
internal static class PixelTransform
{
    /// <summary>y[i] = ((p[i] / divisor) − mean) / std; raw is (1, 0, 1), scaled (255, 0, 1), standardised (255, mean, std).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called a few times on 47 M pixels: skip the slow first tier.
    public static void Apply(ReadOnlySpan<byte> pixels, Span<float> destination, float divisor, float mean, float std)
    {
        if (destination.Length != pixels.Length)
        {
            throw new ArgumentException(
                $"Expected a destination of {pixels.Length} floats but got {destination.Length}",
                nameof(destination)
            );
        }
        int i = 0;
        if (Vector.IsHardwareAccelerated && pixels.Length >= Vector<byte>.Count)
        {
            var d = new Vector<float>(divisor);
            var m = new Vector<float>(mean);
            var s = new Vector<float>(std);
            Span<float> output = destination;
            for (; i <= pixels.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                var bytes = new Vector<byte>(pixels[i..]);
                Vector.Widen(bytes, out Vector<ushort> lo, out Vector<ushort> hi);
                Vector.Widen(lo, out Vector<uint> a, out Vector<uint> b);
                Vector.Widen(hi, out Vector<uint> c, out Vector<uint> e);
                int n = Vector<float>.Count;
                Store(a, output.Slice(i, n), d, m, s);
                Store(b, output.Slice(i + n, n), d, m, s);
                Store(c, output.Slice(i + (2 * n), n), d, m, s);
                Store(e, output.Slice(i + (3 * n), n), d, m, s);
            }
        }
        Reference(pixels[i..], destination[i..], divisor, mean, std);
    }

    /// <summary>The scalar definition, kept as the oracle for <see cref="Apply"/>.</summary>
    public static void Reference(ReadOnlySpan<byte> pixels, Span<float> destination, float divisor, float mean, float std)
    {
        for (int i = 0; i < pixels.Length; i++)
        {
            destination[i] = ((pixels[i] / divisor) - mean) / std;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector<uint> values, Span<float> destination, Vector<float> divisor, Vector<float> mean, Vector<float> std)
    {
        Vector<float> x = Vector.ConvertToSingle(Vector.AsVectorInt32(values));
        (((x / divisor) - mean) / std).CopyTo(destination);
    }
}

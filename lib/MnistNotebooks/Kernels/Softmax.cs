using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MnistNotebooks.Kernels;

/// <summary>Row-wise softmax and log-softmax, stable: the row maximum is subtracted before exp, so logits of ±1e4
/// give exact 1s, 0s and finite logs. Vectorised (vector exp within a few ulp); the scalar loops are the references.</summary>
public static class Softmax
{
    /// <summary>P[r, :] = exp(Z[r, :] − max) / Σ exp(Z[r, :] − max); Z and P are (rows, classes); P may be Z.</summary>
    public static void Rows(Matrix logits, Matrix probabilities)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ShapeMismatchException.ThrowIfNot(probabilities, logits.Rows, logits.Cols, "probabilities");
        for (int r = 0; r < logits.Rows; r++)
        {
            Span<float> z = logits.Row(r);
            Span<float> p = probabilities.Row(r);
            float sum = ExpSum(z, Max(z), p);
            VectorLoops.Map(new ScaleOperator(1f / sum), p, p);
        }
    }

    /// <summary>L[r, :] = Z[r, :] − max − log Σ exp(Z[r, :] − max): log-softmax, finite for finite logits; L may be Z.</summary>
    public static void LogRows(Matrix logits, Matrix logProbabilities)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ShapeMismatchException.ThrowIfNot(logProbabilities, logits.Rows, logits.Cols, "logProbabilities");
        for (int r = 0; r < logits.Rows; r++)
        {
            Span<float> z = logits.Row(r);
            float max = Max(z);
            float logSum = (float)Math.Log(ExpSum(z, max, []));
            VectorLoops.Map(new SubtractTwiceOperator(max, logSum), z, logProbabilities.Row(r));
        }
    }

    /// <summary>Reference for <see cref="Rows"/>.</summary>
    public static void RowsReference(Matrix logits, Matrix probabilities)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ShapeMismatchException.ThrowIfNot(probabilities, logits.Rows, logits.Cols, "probabilities");
        for (int r = 0; r < logits.Rows; r++)
        {
            Span<float> z = logits.Row(r);
            Span<float> p = probabilities.Row(r);
            float max = float.NegativeInfinity;
            foreach (float v in z)
            {
                max = MathF.Max(max, v);
            }
            float sum = 0;
            for (int c = 0; c < z.Length; c++)
            {
                p[c] = MathF.Exp(z[c] - max);
                sum += p[c];
            }
            float inv = 1f / sum;
            for (int c = 0; c < p.Length; c++)
            {
                p[c] *= inv;
            }
        }
    }

    /// <summary>Reference for <see cref="LogRows"/>.</summary>
    public static void LogRowsReference(Matrix logits, Matrix logProbabilities)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ShapeMismatchException.ThrowIfNot(logProbabilities, logits.Rows, logits.Cols, "logProbabilities");
        for (int r = 0; r < logits.Rows; r++)
        {
            Span<float> z = logits.Row(r);
            Span<float> l = logProbabilities.Row(r);
            float max = float.NegativeInfinity;
            foreach (float v in z)
            {
                max = MathF.Max(max, v);
            }
            double sum = 0;
            foreach (float v in z)
            {
                sum += Math.Exp(v - max);
            }
            float logSum = (float)Math.Log(sum);
            for (int c = 0; c < z.Length; c++)
            {
                l[c] = z[c] - max - logSum;
            }
        }
    }

    /// <summary>max over z (−∞ when empty; NaN when z holds a NaN).</summary>
    private static float Max(ReadOnlySpan<float> z)
    {
        ref float zr = ref MemoryMarshal.GetReference(z);
        nuint n = (nuint)z.Length,
            i = 0;
        float max = float.NegativeInfinity;
        if (Simd.Bits >= 512 && n >= 16)
        {
            Vector512<float> m = Vector512.LoadUnsafe(ref zr);
            for (i = 16; i + 16 <= n; i += 16)
            {
                m = Vector512.Max(m, Vector512.LoadUnsafe(ref zr, i));
            }
            for (int j = 0; j < 16; j++)
            {
                max = MathF.Max(max, m.GetElement(j));
            }
        }
        else if (Simd.Bits >= 256 && n >= 8)
        {
            Vector256<float> m = Vector256.LoadUnsafe(ref zr);
            for (i = 8; i + 8 <= n; i += 8)
            {
                m = Vector256.Max(m, Vector256.LoadUnsafe(ref zr, i));
            }
            for (int j = 0; j < 8; j++)
            {
                max = MathF.Max(max, m.GetElement(j));
            }
        }
        for (; i < n; i++)
        {
            max = MathF.Max(max, Unsafe.Add(ref zr, i));
        }
        return max;
    }

    /// <summary>Σ exp(z[c] − max), also storing each term in <paramref name="terms"/> unless it is empty.</summary>
    private static float ExpSum(ReadOnlySpan<float> z, float max, Span<float> terms)
    {
        ref float zr = ref MemoryMarshal.GetReference(z);
        ref float tr = ref MemoryMarshal.GetReference(terms);
        bool store = !terms.IsEmpty;
        nuint n = (nuint)z.Length,
            i = 0;
        float sum = 0;
        if (Simd.Bits >= 512 && n >= 16)
        {
            Vector512<float> acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                Vector512<float> e = VectorMath.Exp(Vector512.LoadUnsafe(ref zr, i) - Vector512.Create(max));
                acc += e;
                if (store)
                {
                    e.StoreUnsafe(ref tr, i);
                }
            }
            sum = Vector512.Sum(acc);
        }
        else if (Simd.Bits >= 256 && n >= 8)
        {
            Vector256<float> acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                Vector256<float> e = VectorMath.Exp(Vector256.LoadUnsafe(ref zr, i) - Vector256.Create(max));
                acc += e;
                if (store)
                {
                    e.StoreUnsafe(ref tr, i);
                }
            }
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++)
        {
            float e = MathF.Exp(Unsafe.Add(ref zr, i) - max);
            sum += e;
            if (store)
            {
                Unsafe.Add(ref tr, i) = e;
            }
        }
        return sum;
    }
}

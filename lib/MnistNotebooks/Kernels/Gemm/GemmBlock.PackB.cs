using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MnistNotebooks.Kernels;

// Packing B into NR-column panels, so that the micro-kernel reads the NR values of one k as two vectors.
internal static unsafe partial class GemmBlock<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Packs B[p0.., j0..] (B is (K, N), ldb = N) into NR-column panels: panel[p·NR + j] = B[p0 + p, j0 + j];
    /// columns past the edge are zero.</summary>
    /// <remarks>B is read a whole row at a time: one stream that the prefetcher follows. Reading it panel by panel
    /// instead touches a new row, ldb apart, for every 64 bytes, and waited on memory for most of the copy.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(T* b, int ldb, int j0, int nc, int p0, int kc, int nr, T* dst)
    {
        int w = Vector128<T>.Count;
        int whole = nc / nr * nr,
            cols = nc - whole;
        long panel = (long)nr * kc;
        T* s = b + ((long)p0 * ldb) + j0;
        for (int q = 0; q < kc; q++, s += ldb)
        {
            T* d = dst + (q * nr);
            int jr = 0;
            for (; jr < whole; jr += nr, d += panel)
            {
                CopyRow(s + jr, d, nr);
            }
            if (cols > 0)
            {
                // The edge panel: clear its row (nr is a multiple of one Vector128), then copy the columns that exist
                // (on the narrow path this row is all of B's row: 10 of 16 wide).
                if (Vector512.IsHardwareAccelerated && nr % Vector512<T>.Count == 0)
                {
                    for (int j = 0; j < nr; j += Vector512<T>.Count)
                    {
                        Vector512<T>.Zero.Store(d + j);
                    }
                }
                else
                {
                    for (int j = 0; j < nr; j += w)
                    {
                        Vector128<T>.Zero.Store(d + j);
                    }
                }
                CopyRow(s + jr, d, cols);
            }
        }
    }

    /// <summary>d[0..count) = s[0..count), in the widest vectors that fit, then one element at a time. Inlined: a call to
    /// Buffer.MemoryCopy per panel row cost more than the copy, and 128-bit copies took 4 times the instructions at 512
    /// bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRow(T* s, T* d, int count)
    {
        int c = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; c + Vector512<T>.Count <= count; c += Vector512<T>.Count)
            {
                Vector512.Load(s + c).Store(d + c);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; c + Vector256<T>.Count <= count; c += Vector256<T>.Count)
            {
                Vector256.Load(s + c).Store(d + c);
            }
        }
        for (; c + Vector128<T>.Count <= count; c += Vector128<T>.Count)
        {
            Vector128.Load(s + c).Store(d + c);
        }
        for (; c < count; c++)
        {
            d[c] = s[c];
        }
    }

    /// <summary>As <see cref="PackB"/> for B stored transposed, (N, K) with ldb = K: B[p, j] is b[j·ldb + p].
    /// On x86, 4×4 blocks are transposed in registers; the rest is copied one element at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackBTransposed(T* b, int ldb, int j0, int nc, int p0, int kc, int nr, T* dst)
    {
        bool blocks = typeof(T) == typeof(float) ? Sse.IsSupported : Avx.IsSupported;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            T* d = dst + (jr * kc);
            int j = 0;
            if (blocks)
            {
                for (; j + 4 <= cols; j += 4)
                {
                    T* s0 = b + ((long)(j0 + jr + j) * ldb) + p0;
                    int q =
                        typeof(T) == typeof(float)
                            ? TransposeFourRowsFloat((float*)s0, ldb, kc, (float*)(d + j), nr)
                            : TransposeFourRowsDouble((double*)s0, ldb, kc, (double*)(d + j), nr);
                    T* s1 = s0 + ldb,
                        s2 = s1 + ldb,
                        s3 = s2 + ldb;
                    for (; q < kc; q++)
                    {
                        T* o = d + (q * nr) + j;
                        o[0] = s0[q];
                        o[1] = s1[q];
                        o[2] = s2[q];
                        o[3] = s3[q];
                    }
                }
            }
            for (; j < nr; j++)
            {
                if (j < cols)
                {
                    T* s = b + ((long)(j0 + jr + j) * ldb) + p0;
                    for (int q = 0; q < kc; q++)
                    {
                        d[(q * nr) + j] = s[q];
                    }
                }
                else
                {
                    for (int q = 0; q < kc; q++)
                    {
                        d[(q * nr) + j] = T.Zero;
                    }
                }
            }
        }
    }

    /// <summary>o[q·nr + r] = s[r·ldb + q] for r &lt; 4, four q at a time; returns how many q it did.</summary>
    private static int TransposeFourRowsFloat(float* s0, int ldb, int kc, float* o, int nr)
    {
        float* s1 = s0 + ldb,
            s2 = s1 + ldb,
            s3 = s2 + ldb;
        int q = 0;
        for (; q + 4 <= kc; q += 4)
        {
            Vector128<float> r0 = Sse.LoadVector128(s0 + q),
                r1 = Sse.LoadVector128(s1 + q);
            Vector128<float> r2 = Sse.LoadVector128(s2 + q),
                r3 = Sse.LoadVector128(s3 + q);
            Vector128<float> t0 = Sse.UnpackLow(r0, r1),
                t1 = Sse.UnpackLow(r2, r3);
            Vector128<float> t2 = Sse.UnpackHigh(r0, r1),
                t3 = Sse.UnpackHigh(r2, r3);
            float* d = o + (q * nr);
            Sse.Store(d, Sse.MoveLowToHigh(t0, t1));
            Sse.Store(d + nr, Sse.MoveHighToLow(t1, t0));
            Sse.Store(d + (2 * nr), Sse.MoveLowToHigh(t2, t3));
            Sse.Store(d + (3 * nr), Sse.MoveHighToLow(t3, t2));
        }
        return q;
    }

    /// <summary>As <see cref="TransposeFourRowsFloat"/> for doubles, with 256-bit registers.</summary>
    private static int TransposeFourRowsDouble(double* s0, int ldb, int kc, double* o, int nr)
    {
        double* s1 = s0 + ldb,
            s2 = s1 + ldb,
            s3 = s2 + ldb;
        int q = 0;
        for (; q + 4 <= kc; q += 4)
        {
            (Vector256<double> c0, Vector256<double> c1, Vector256<double> c2, Vector256<double> c3) = Transpose4x4(
                Avx.LoadVector256(s0 + q),
                Avx.LoadVector256(s1 + q),
                Avx.LoadVector256(s2 + q),
                Avx.LoadVector256(s3 + q)
            );
            double* d = o + (q * nr);
            c0.Store(d);
            c1.Store(d + nr);
            c2.Store(d + (2 * nr));
            c3.Store(d + (3 * nr));
        }
        return q;
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MnistNotebooks.Kernels;

// Packing A into MR-row panels, so that the micro-kernel reads the MR values of one k side by side.
internal static unsafe partial class GemmBlock<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Packs A[i0.., p0..] (A is (M, K), lda = K) into MR-row panels: panel[p·MR + r] = A[i0 + r, p0 + p];
    /// rows past the edge are zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(T* a, int lda, int i0, int mc, int p0, int kc, T* dst)
    {
        for (int ir = 0; ir < mc; ir += MR)
        {
            int rows = Math.Min(MR, mc - ir);
            T* d = dst + (ir * kc);
            T* s = a + ((long)(i0 + ir) * lda) + p0;
            if (rows == MR)
            {
                T* s1 = s + lda,
                    s2 = s1 + lda,
                    s3 = s2 + lda,
                    s4 = s3 + lda,
                    s5 = s4 + lda;
                int q = 0;
                if (typeof(T) == typeof(float) && Sse.IsSupported)
                {
                    q = PackSixRowsFloat((float*)s, (float*)s1, (float*)s2, (float*)s3, (float*)s4, (float*)s5, kc, (float*)d);
                    d += q * MR;
                }
                else if (typeof(T) == typeof(double) && Avx.IsSupported)
                {
                    q = PackSixRowsDouble((double*)s, (double*)s1, (double*)s2, (double*)s3, (double*)s4, (double*)s5, kc, (double*)d);
                    d += q * MR;
                }
                for (; q < kc; q++, d += MR)
                {
                    d[0] = s[q];
                    d[1] = s1[q];
                    d[2] = s2[q];
                    d[3] = s3[q];
                    d[4] = s4[q];
                    d[5] = s5[q];
                }
            }
            else
            {
                for (int q = 0; q < kc; q++, d += MR)
                {
                    for (int r = 0; r < MR; r++)
                    {
                        d[r] = r < rows ? s[(r * lda) + q] : T.Zero;
                    }
                }
            }
        }
    }

    /// <summary>Four columns at a time of six float rows into a panel: rows 0-3 transposed 4×4 in registers, rows 4-5
    /// interleaved in pairs. Returns how many columns it packed (a multiple of 4).</summary>
    private static int PackSixRowsFloat(float* s, float* s1, float* s2, float* s3, float* s4, float* s5, int kc, float* d)
    {
        int q = 0;
        for (; q + 4 <= kc; q += 4, d += 4 * MR)
        {
            Vector128<float> r0 = Sse.LoadVector128(s + q),
                r1 = Sse.LoadVector128(s1 + q);
            Vector128<float> r2 = Sse.LoadVector128(s2 + q),
                r3 = Sse.LoadVector128(s3 + q);
            Vector128<float> r4 = Sse.LoadVector128(s4 + q),
                r5 = Sse.LoadVector128(s5 + q);
            Vector128<float> t0 = Sse.UnpackLow(r0, r1),
                t1 = Sse.UnpackLow(r2, r3);
            Vector128<float> t2 = Sse.UnpackHigh(r0, r1),
                t3 = Sse.UnpackHigh(r2, r3);
            Vector128<float> u0 = Sse.UnpackLow(r4, r5),
                u1 = Sse.UnpackHigh(r4, r5);
            Sse.Store(d, Sse.MoveLowToHigh(t0, t1));
            Sse.StoreLow(d + 4, u0);
            Sse.Store(d + 6, Sse.MoveHighToLow(t1, t0));
            Sse.StoreHigh(d + 10, u0);
            Sse.Store(d + 12, Sse.MoveLowToHigh(t2, t3));
            Sse.StoreLow(d + 16, u1);
            Sse.Store(d + 18, Sse.MoveHighToLow(t3, t2));
            Sse.StoreHigh(d + 22, u1);
        }
        return q;
    }

    /// <summary>As <see cref="PackSixRowsFloat"/> for doubles: rows 0-3 transposed 4×4 in 256-bit registers, rows 4-5
    /// interleaved in pairs.</summary>
    private static int PackSixRowsDouble(double* s, double* s1, double* s2, double* s3, double* s4, double* s5, int kc, double* d)
    {
        int q = 0;
        for (; q + 4 <= kc; q += 4, d += 4 * MR)
        {
            (Vector256<double> c0, Vector256<double> c1, Vector256<double> c2, Vector256<double> c3) = Transpose4x4(
                Avx.LoadVector256(s + q),
                Avx.LoadVector256(s1 + q),
                Avx.LoadVector256(s2 + q),
                Avx.LoadVector256(s3 + q)
            );
            Vector256<double> r4 = Avx.LoadVector256(s4 + q),
                r5 = Avx.LoadVector256(s5 + q);
            Vector256<double> u0 = Avx.UnpackLow(r4, r5), // r4[0] r5[0] r4[2] r5[2]
                u1 = Avx.UnpackHigh(r4, r5); // r4[1] r5[1] r4[3] r5[3]
            c0.Store(d);
            u0.GetLower().Store(d + 4);
            c1.Store(d + 6);
            u1.GetLower().Store(d + 10);
            c2.Store(d + 12);
            u0.GetUpper().Store(d + 16);
            c3.Store(d + 18);
            u1.GetUpper().Store(d + 22);
        }
        return q;
    }

    /// <summary>Columns of the 4×4 block whose rows are r0..r3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double>, Vector256<double>, Vector256<double>, Vector256<double>) Transpose4x4(
        Vector256<double> r0,
        Vector256<double> r1,
        Vector256<double> r2,
        Vector256<double> r3
    )
    {
        Vector256<double> t0 = Avx.UnpackLow(r0, r1), // r0[0] r1[0] r0[2] r1[2]
            t1 = Avx.UnpackHigh(r0, r1), // r0[1] r1[1] r0[3] r1[3]
            t2 = Avx.UnpackLow(r2, r3),
            t3 = Avx.UnpackHigh(r2, r3);
        return (
            Avx.Permute2x128(t0, t2, 0x20),
            Avx.Permute2x128(t1, t3, 0x20),
            Avx.Permute2x128(t0, t2, 0x31),
            Avx.Permute2x128(t1, t3, 0x31)
        );
    }

    /// <summary>As <see cref="PackA"/> for A stored transposed, (K, M) with lda = M: A[i, p] is a[p·lda + i].</summary>
    /// <remarks>A is read a whole row (one p, every i of the block) at a time, for the reason <see cref="PackB"/>
    /// gives.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackATransposed(T* a, int lda, int i0, int mc, int p0, int kc, T* dst)
    {
        int whole = mc / MR * MR,
            rows = mc - whole;
        long panel = (long)MR * kc;
        T* s = a + ((long)p0 * lda) + i0;
        for (int q = 0; q < kc; q++, s += lda)
        {
            T* d = dst + (q * MR);
            int ir = 0;
            for (; ir < whole; ir += MR, d += panel)
            {
                // The six values are adjacent in A and in the panel: a 4-wide and a 2-wide copy, not six scalar ones.
                Vector128.Load(s + ir).Store(d);
                if (sizeof(T) == sizeof(float))
                {
                    *(ulong*)(d + 4) = *(ulong*)(s + ir + 4);
                }
                else
                {
                    Vector128.Load(s + ir + 2).Store(d + 2);
                    Vector128.Load(s + ir + 4).Store(d + 4);
                }
            }
            if (rows > 0)
            {
                for (int r = 0; r < MR; r++)
                {
                    d[r] = r < rows ? s[ir + r] : T.Zero;
                }
            }
        }
    }
}

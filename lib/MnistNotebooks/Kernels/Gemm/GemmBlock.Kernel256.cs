using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MnistNotebooks.Kernels;

// The 256-bit micro-kernel: a 6×(2 vectors) tile of C in 12 registers.
internal static unsafe partial class GemmBlock<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>S (6×2W) = Σ_p A[r, p]·b[p·ldb + j], W = Vector256&lt;T&gt;.Count, with 12 Vector256 accumulators. As in
    /// <see cref="Kernel512"/>: A[r, p] is a[r·rowStep + p·kStep], a packed panel (1, 6) or a row-major A where it lies
    /// (lda, 1), the rows past <paramref name="rows"/> repeating the last; B is a packed panel (ldb = 2W) or read where it
    /// lies; S goes to <paramref name="tile"/>, or, for a whole tile of C, straight to C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256(
        T* a,
        int rowStep,
        int kStep,
        int rows,
        T* b,
        int ldb,
        int kc,
        T* tile,
        T* c = null,
        int ldc = 0,
        bool overwrite = true
    )
    {
        int w = Vector256<T>.Count;
        // Each row from the one before (an add, not a multiply): with a short K the set-up is a share of the call.
        nint rs = rowStep;
        T* r0 = a,
            r1 = rows > 1 ? r0 + rs : r0,
            r2 = rows > 2 ? r1 + rs : r1,
            r3 = rows > 3 ? r2 + rs : r2,
            r4 = rows > 4 ? r3 + rs : r3,
            r5 = rows > 5 ? r4 + rs : r4;
        Vector256<T> c00 = default,
            c01 = default,
            c10 = default,
            c11 = default,
            c20 = default,
            c21 = default;
        Vector256<T> c30 = default,
            c31 = default,
            c40 = default,
            c41 = default,
            c50 = default,
            c51 = default;
        nint ks = kStep,
            bStep = ldb,
            o = 0;
        for (int q = 0; q < kc; q++, o += ks, b += bStep)
        {
            Vector256<T> b0 = Vector256.Load(b),
                b1 = Vector256.Load(b + w);
            Vector256<T> x = Vector256.Create(r0[o]);
            c00 = Simd.MulAdd(x, b0, c00);
            c01 = Simd.MulAdd(x, b1, c01);
            x = Vector256.Create(r1[o]);
            c10 = Simd.MulAdd(x, b0, c10);
            c11 = Simd.MulAdd(x, b1, c11);
            x = Vector256.Create(r2[o]);
            c20 = Simd.MulAdd(x, b0, c20);
            c21 = Simd.MulAdd(x, b1, c21);
            x = Vector256.Create(r3[o]);
            c30 = Simd.MulAdd(x, b0, c30);
            c31 = Simd.MulAdd(x, b1, c31);
            x = Vector256.Create(r4[o]);
            c40 = Simd.MulAdd(x, b0, c40);
            c41 = Simd.MulAdd(x, b1, c41);
            x = Vector256.Create(r5[o]);
            c50 = Simd.MulAdd(x, b0, c50);
            c51 = Simd.MulAdd(x, b1, c51);
        }
        if (c is not null)
        {
            // Stored here rather than by a helper: passing the 12 accumulators on would spill them in the loop above.
            nint l = ldc;
            if (!overwrite)
            {
                c00 += Vector256.Load(c);
                c01 += Vector256.Load(c + w);
                c10 += Vector256.Load(c + l);
                c11 += Vector256.Load(c + l + w);
                c20 += Vector256.Load(c + (2 * l));
                c21 += Vector256.Load(c + (2 * l) + w);
                c30 += Vector256.Load(c + (3 * l));
                c31 += Vector256.Load(c + (3 * l) + w);
                c40 += Vector256.Load(c + (4 * l));
                c41 += Vector256.Load(c + (4 * l) + w);
                c50 += Vector256.Load(c + (5 * l));
                c51 += Vector256.Load(c + (5 * l) + w);
            }
            c00.Store(c);
            c01.Store(c + w);
            c10.Store(c + l);
            c11.Store(c + l + w);
            c20.Store(c + (2 * l));
            c21.Store(c + (2 * l) + w);
            c30.Store(c + (3 * l));
            c31.Store(c + (3 * l) + w);
            c40.Store(c + (4 * l));
            c41.Store(c + (4 * l) + w);
            c50.Store(c + (5 * l));
            c51.Store(c + (5 * l) + w);
            return;
        }
        c00.Store(tile);
        c01.Store(tile + w);
        c10.Store(tile + (2 * w));
        c11.Store(tile + (3 * w));
        c20.Store(tile + (4 * w));
        c21.Store(tile + (5 * w));
        c30.Store(tile + (6 * w));
        c31.Store(tile + (7 * w));
        c40.Store(tile + (8 * w));
        c41.Store(tile + (9 * w));
        c50.Store(tile + (10 * w));
        c51.Store(tile + (11 * w));
    }
}

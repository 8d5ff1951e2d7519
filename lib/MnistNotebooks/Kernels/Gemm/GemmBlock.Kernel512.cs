using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MnistNotebooks.Kernels;

// The 512-bit micro-kernel: a 6×(2 vectors) tile of C in 12 registers.
internal static unsafe partial class GemmBlock<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>S (6×2W) = Σ_p A[r, p]·b[p·ldb + j], W = Vector512&lt;T&gt;.Count: 12 accumulators, loads,
    /// broadcasts and FMAs only. A[r, p] is a[r·rowStep + p·kStep]: a packed panel (1, 6), or A where it lies, stored
    /// transposed (1, lda) or row-major (lda, 1); with fewer than six <paramref name="rows"/> the missing rows repeat the
    /// last one (computed, never stored), so an edge of A needs no zero-padded copy. B is a packed panel (ldb = 2W) or
    /// 2W columns of B where it lies (ldb = N). S goes to <paramref name="tile"/>, or, for a whole tile of C, straight
    /// to C: C (=|+=) S, row r at c + r·ldc.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512(
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
        int w = Vector512<T>.Count;
        nint rs = rowStep;
        T* r0 = a,
            r1 = Row(a, 1, rows, rs),
            r2 = Row(a, 2, rows, rs),
            r3 = Row(a, 3, rows, rs),
            r4 = Row(a, 4, rows, rs),
            r5 = Row(a, 5, rows, rs);
        Vector512<T> c00 = default,
            c01 = default,
            c10 = default,
            c11 = default,
            c20 = default,
            c21 = default;
        Vector512<T> c30 = default,
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
            Vector512<T> b0 = Vector512.Load(b),
                b1 = Vector512.Load(b + w);
            Vector512<T> x = Vector512.Create(r0[o]);
            c00 = Simd.MulAdd(x, b0, c00);
            c01 = Simd.MulAdd(x, b1, c01);
            x = Vector512.Create(r1[o]);
            c10 = Simd.MulAdd(x, b0, c10);
            c11 = Simd.MulAdd(x, b1, c11);
            x = Vector512.Create(r2[o]);
            c20 = Simd.MulAdd(x, b0, c20);
            c21 = Simd.MulAdd(x, b1, c21);
            x = Vector512.Create(r3[o]);
            c30 = Simd.MulAdd(x, b0, c30);
            c31 = Simd.MulAdd(x, b1, c31);
            x = Vector512.Create(r4[o]);
            c40 = Simd.MulAdd(x, b0, c40);
            c41 = Simd.MulAdd(x, b1, c41);
            x = Vector512.Create(r5[o]);
            c50 = Simd.MulAdd(x, b0, c50);
            c51 = Simd.MulAdd(x, b1, c51);
        }
        if (c is not null)
        {
            // Stored here rather than by a helper: passing the 12 accumulators on would spill them in the loop above.
            nint l = ldc;
            if (!overwrite)
            {
                c00 += Vector512.Load(c);
                c01 += Vector512.Load(c + w);
                c10 += Vector512.Load(c + l);
                c11 += Vector512.Load(c + l + w);
                c20 += Vector512.Load(c + (2 * l));
                c21 += Vector512.Load(c + (2 * l) + w);
                c30 += Vector512.Load(c + (3 * l));
                c31 += Vector512.Load(c + (3 * l) + w);
                c40 += Vector512.Load(c + (4 * l));
                c41 += Vector512.Load(c + (4 * l) + w);
                c50 += Vector512.Load(c + (5 * l));
                c51 += Vector512.Load(c + (5 * l) + w);
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

    /// <summary>tile (6×W, rows nr apart) = Σ_p A[r, p]·b[p·nr + j] for j &lt; W = Vector512&lt;T&gt;.Count, A and rows as
    /// in <see cref="Kernel512"/>: the first vector of each row of a packed B panel only, for an edge of C at most one
    /// vector wide (e.g. the last 12 of 300 columns), which <see cref="Kernel512"/> would compute two vectors wide. Each
    /// element sums the same products in the same order as there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelHalf512(T* a, int rowStep, int kStep, int rows, T* b, int nr, int kc, T* tile)
    {
        nint rs = rowStep;
        T* r0 = a,
            r1 = Row(a, 1, rows, rs),
            r2 = Row(a, 2, rows, rs),
            r3 = Row(a, 3, rows, rs),
            r4 = Row(a, 4, rows, rs),
            r5 = Row(a, 5, rows, rs);
        Vector512<T> c0 = default,
            c1 = default,
            c2 = default,
            c3 = default,
            c4 = default,
            c5 = default;
        nint ks = kStep,
            step = nr,
            o = 0;
        for (int q = 0; q < kc; q++, o += ks, b += step)
        {
            Vector512<T> bv = Vector512.Load(b);
            c0 = Simd.MulAdd(Vector512.Create(r0[o]), bv, c0);
            c1 = Simd.MulAdd(Vector512.Create(r1[o]), bv, c1);
            c2 = Simd.MulAdd(Vector512.Create(r2[o]), bv, c2);
            c3 = Simd.MulAdd(Vector512.Create(r3[o]), bv, c3);
            c4 = Simd.MulAdd(Vector512.Create(r4[o]), bv, c4);
            c5 = Simd.MulAdd(Vector512.Create(r5[o]), bv, c5);
        }
        c0.Store(tile);
        c1.Store(tile + step);
        c2.Store(tile + (2 * step));
        c3.Store(tile + (3 * step));
        c4.Store(tile + (4 * step));
        c5.Store(tile + (5 * step));
    }

    /// <summary>Row r of a tile of A whose rows are <paramref name="step"/> apart, or its last row past <paramref name="rows"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T* Row(T* a, int r, int rows, nint step) => a + (Math.Min(r, rows - 1) * step);
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MnistNotebooks.Kernels;

// The narrow path (C at most 16 columns wide, e.g. the 10 logits): one 16-column panel of B, A read in place.
internal static unsafe partial class GemmBlock<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Computes C[m0..m1, 0..N) for N ≤ 16 on the calling thread: B packed into one 16-column panel (zero past
    /// N), A read in place. Floats: one vector per row of C, 8 rows at a time row-major, 12 stored transposed, only the
    /// last, partial tile packed; doubles: two vectors per row, 6 rows at a time, a partial tile too.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunNarrow(in Gemm.Problem p, Gemm.Workspace home, int m0, int m1)
    {
        int m = p.M,
            n = p.N,
            k = p.K,
            w = Gemm.NarrowWidth;
        int kcMax = p.KcMax;
        Gemm.Workspace ws = home.Reserve(Gemm.BufferSizes.For(p, m1 - m0, n));
        T* ap = (T*)ws.PackedA,
            bp = (T*)ws.PackedB,
            tile = (T*)ws.Tile;
        fixed (
            T* a = Unsafe.As<T[]>(p.A),
                b = Unsafe.As<T[]>(p.B),
                c = Unsafe.As<T[]>(p.C)
        )
        {
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                bool overwrite = pc == 0 && !p.Accumulate;
                if (p.TransB)
                {
                    PackBTransposed(b, k, 0, n, pc, kc, w, bp);
                }
                else
                {
                    PackB(b, n, 0, n, pc, kc, w, bp);
                }
                // Row-major A is read in place eight rows at a time (eight row addresses fit the registers); A stored
                // transposed, twelve rows at a time (the twelve values of one k are adjacent). Packing would only copy them.
                bool pairs = Vector512<T>.Count < w; // doubles: a row of C is two vectors, so six rows fill the 12 registers
                // Doubles, 9 or 10 columns (the 10 classes): columns 8-9 of four rows share one vector.
                bool ten = pairs && n is 9 or 10;
                if (ten)
                {
                    RepeatLastPair(bp, kc, w);
                }
                int step =
                    ten ? Gemm.NarrowDirectRows
                    : pairs ? MR
                    : p.TransA ? Gemm.NarrowRows
                    : Gemm.NarrowDirectRows;
                for (int ir = m0; ir < m1; ir += step)
                {
                    int rows = Math.Min(step, m1 - ir);
                    // Where the tile of A lies: A[ir + r, pc + q] is aTile[r·rowStep + q·kStep].
                    T* aTile = p.TransA ? a + ((long)pc * m) + ir : a + ((long)ir * k) + pc;
                    int rowStep = p.TransA ? 1 : k,
                        kStep = p.TransA ? m : 1;
                    if (ten)
                    {
                        KernelNarrowTen512(aTile, rowStep, kStep, rows, bp, kc, tile);
                    }
                    else if (pairs)
                    {
                        Kernel512(aTile, rowStep, kStep, rows, bp, w, kc, tile);
                    }
                    else if (rows == Gemm.NarrowDirectRows && !p.TransA)
                    {
                        KernelNarrowRows512(aTile, k, bp, kc, tile);
                    }
                    else if (p.TransA && rows == Gemm.NarrowRows)
                    {
                        KernelNarrow512(aTile, aTile + MR, m, bp, kc, tile);
                    }
                    else
                    {
                        if (p.TransA)
                        {
                            PackATransposed(a, m, ir, rows, pc, kc, ap);
                        }
                        else
                        {
                            PackA(a, k, ir, rows, pc, kc, ap);
                        }
                        // Six rows or fewer fill one panel; the kernel then computes it twice rather than read an unpacked one.
                        KernelNarrow512(ap, rows > MR ? ap + (MR * kc) : ap, MR, bp, kc, tile);
                    }
                    Update(tile, w, c + ((long)ir * n), n, rows, n, overwrite);
                }
            }
        }
    }

    /// <summary>tile (12×W) = Σ_p A[r, p]·b[p·W + j], rows 0-5 of A at a0[p·stride + r] and rows 6-11 at
    /// a1[p·stride + r - 6]: 12 Vector512 accumulators, one load, twelve broadcasts and twelve FMAs per step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelNarrow512(T* a0, T* a1, int stride, T* b, int kc, T* tile)
    {
        int w = Vector512<T>.Count;
        Vector512<T> c0 = default,
            c1 = default,
            c2 = default,
            c3 = default,
            c4 = default,
            c5 = default;
        Vector512<T> c6 = default,
            c7 = default,
            c8 = default,
            c9 = default,
            c10 = default,
            c11 = default;
        for (int q = 0; q < kc; q++, a0 += stride, a1 += stride, b += w)
        {
            Vector512<T> bv = Vector512.Load(b);
            c0 = Simd.MulAdd(Vector512.Create(a0[0]), bv, c0);
            c1 = Simd.MulAdd(Vector512.Create(a0[1]), bv, c1);
            c2 = Simd.MulAdd(Vector512.Create(a0[2]), bv, c2);
            c3 = Simd.MulAdd(Vector512.Create(a0[3]), bv, c3);
            c4 = Simd.MulAdd(Vector512.Create(a0[4]), bv, c4);
            c5 = Simd.MulAdd(Vector512.Create(a0[5]), bv, c5);
            c6 = Simd.MulAdd(Vector512.Create(a1[0]), bv, c6);
            c7 = Simd.MulAdd(Vector512.Create(a1[1]), bv, c7);
            c8 = Simd.MulAdd(Vector512.Create(a1[2]), bv, c8);
            c9 = Simd.MulAdd(Vector512.Create(a1[3]), bv, c9);
            c10 = Simd.MulAdd(Vector512.Create(a1[4]), bv, c10);
            c11 = Simd.MulAdd(Vector512.Create(a1[5]), bv, c11);
        }
        c0.Store(tile);
        c1.Store(tile + w);
        c2.Store(tile + (2 * w));
        c3.Store(tile + (3 * w));
        c4.Store(tile + (4 * w));
        c5.Store(tile + (5 * w));
        c6.Store(tile + (6 * w));
        c7.Store(tile + (7 * w));
        c8.Store(tile + (8 * w));
        c9.Store(tile + (9 * w));
        c10.Store(tile + (10 * w));
        c11.Store(tile + (11 * w));
    }

    /// <summary>tile (8×W) = Σ_p A[r, p]·b[p·W + j] with A row-major in place: row r at a[r·lda + p].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelNarrowRows512(T* a, int lda, T* b, int kc, T* tile)
    {
        int w = Vector512<T>.Count;
        nint l1 = lda,
            l2 = 2 * (nint)lda,
            l3 = 3 * (nint)lda;
        T* a4 = a + (4 * l1);
        Vector512<T> c0 = default,
            c1 = default,
            c2 = default,
            c3 = default;
        Vector512<T> c4 = default,
            c5 = default,
            c6 = default,
            c7 = default;
        for (int q = 0; q < kc; q++, a++, a4++, b += w)
        {
            Vector512<T> bv = Vector512.Load(b);
            c0 = Simd.MulAdd(Vector512.Create(a[0]), bv, c0);
            c1 = Simd.MulAdd(Vector512.Create(a[l1]), bv, c1);
            c2 = Simd.MulAdd(Vector512.Create(a[l2]), bv, c2);
            c3 = Simd.MulAdd(Vector512.Create(a[l3]), bv, c3);
            c4 = Simd.MulAdd(Vector512.Create(a4[0]), bv, c4);
            c5 = Simd.MulAdd(Vector512.Create(a4[l1]), bv, c5);
            c6 = Simd.MulAdd(Vector512.Create(a4[l2]), bv, c6);
            c7 = Simd.MulAdd(Vector512.Create(a4[l3]), bv, c7);
        }
        c0.Store(tile);
        c1.Store(tile + w);
        c2.Store(tile + (2 * w));
        c3.Store(tile + (3 * w));
        c4.Store(tile + (4 * w));
        c5.Store(tile + (5 * w));
        c6.Store(tile + (6 * w));
        c7.Store(tile + (7 * w));
    }

    /// <summary>In each w-wide row of a packed B panel of doubles, lanes 10..w hold columns 8 and 9 again (8, 9, 8, 9, ...),
    /// so that the load of lanes 8-15 gives <see cref="KernelNarrowTen512"/> the pair for each of four rows.</summary>
    private static void RepeatLastPair(T* bp, int kc, int w)
    {
        for (int q = 0; q < kc; q++)
        {
            T* row = bp + ((long)q * w);
            for (int j = 10; j < w; j += 2)
            {
                row[j] = row[8];
                row[j + 1] = row[9];
            }
        }
    }

    /// <summary>tile (8×16, doubles) = Σ_p A[r, p]·B[p, j] for j &lt; 10, A in place as in <see cref="Kernel512"/>
    /// (a[r·rowStep + p·kStep], row-major or stored transposed), B a 16-wide panel whose lanes 8-15 repeat columns 8
    /// and 9 (<see cref="RepeatLastPair"/>). Columns 0-7 take one vector per row; columns 8-9 of rows 4i..4i+3 share
    /// one vector, A[4i..4i+3, p] each twice, so 8 rows cost 10 FMAs per p instead of 16, every element still one FMA
    /// per p in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelNarrowTen512(T* a, int rowStep, int kStep, int rows, T* b, int kc, T* tile)
    {
        int w = Vector512<T>.Count,
            t = 2 * w;
        nint rs = rowStep,
            ks = kStep,
            o = 0;
        T* r0 = a,
            r1 = Row(a, 1, rows, rs),
            r2 = Row(a, 2, rows, rs),
            r3 = Row(a, 3, rows, rs);
        T* r4 = Row(a, 4, rows, rs),
            r5 = Row(a, 5, rows, rs),
            r6 = Row(a, 6, rows, rs),
            r7 = Row(a, 7, rows, rs);
        Vector512<T> m1 = Vector512.Create(0L, 0, -1, -1, 0, 0, 0, 0).As<long, T>(),
            m2 = Vector512.Create(0L, 0, 0, 0, -1, -1, 0, 0).As<long, T>(),
            m3 = Vector512.Create(0L, 0, 0, 0, 0, 0, -1, -1).As<long, T>();
        Vector512<T> c0 = default,
            c1 = default,
            c2 = default,
            c3 = default,
            c4 = default,
            c5 = default,
            c6 = default,
            c7 = default,
            d0 = default,
            d1 = default;
        for (int q = 0; q < kc; q++, o += ks, b += t)
        {
            Vector512<T> b0 = Vector512.Load(b),
                pair = Vector512.Load(b + w);
            Vector512<T> x0 = Vector512.Create(r0[o]),
                x1 = Vector512.Create(r1[o]),
                x2 = Vector512.Create(r2[o]),
                x3 = Vector512.Create(r3[o]);
            c0 = Simd.MulAdd(x0, b0, c0);
            c1 = Simd.MulAdd(x1, b0, c1);
            c2 = Simd.MulAdd(x2, b0, c2);
            c3 = Simd.MulAdd(x3, b0, c3);
            Vector512<T> s = Pairs(x0, x1, x2, x3, m1, m2, m3);
            d0 = Simd.MulAdd(s, pair, d0);
            x0 = Vector512.Create(r4[o]);
            x1 = Vector512.Create(r5[o]);
            x2 = Vector512.Create(r6[o]);
            x3 = Vector512.Create(r7[o]);
            c4 = Simd.MulAdd(x0, b0, c4);
            c5 = Simd.MulAdd(x1, b0, c5);
            c6 = Simd.MulAdd(x2, b0, c6);
            c7 = Simd.MulAdd(x3, b0, c7);
            s = Pairs(x0, x1, x2, x3, m1, m2, m3);
            d1 = Simd.MulAdd(s, pair, d1);
        }
        c0.Store(tile);
        c1.Store(tile + t);
        c2.Store(tile + (2 * t));
        c3.Store(tile + (3 * t));
        c4.Store(tile + (4 * t));
        c5.Store(tile + (5 * t));
        c6.Store(tile + (6 * t));
        c7.Store(tile + (7 * t));
        d0.GetLower().GetLower().Store(tile + w);
        d0.GetLower().GetUpper().Store(tile + t + w);
        d0.GetUpper().GetLower().Store(tile + (2 * t) + w);
        d0.GetUpper().GetUpper().Store(tile + (3 * t) + w);
        d1.GetLower().GetLower().Store(tile + (4 * t) + w);
        d1.GetLower().GetUpper().Store(tile + (5 * t) + w);
        d1.GetUpper().GetLower().Store(tile + (6 * t) + w);
        d1.GetUpper().GetUpper().Store(tile + (7 * t) + w);
    }

    /// <summary>(x0, x0, x1, x1, x2, x2, x3, x3) from four broadcasts: lanes 2-3 from x1 (m1), 4-5 from x2, 6-7 from x3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Pairs(
        Vector512<T> x0,
        Vector512<T> x1,
        Vector512<T> x2,
        Vector512<T> x3,
        Vector512<T> m1,
        Vector512<T> m2,
        Vector512<T> m3
    ) => Vector512.ConditionalSelect(m3, x3, Vector512.ConditionalSelect(m2, x2, Vector512.ConditionalSelect(m1, x1, x0)));
}

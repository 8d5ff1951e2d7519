using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MnistNotebooks.Kernels;

/// <summary>One block of the GEMM in T (float or double): the loops over blocks, packing, micro-kernels and the
/// update of C. Vector512/256/128 of T hold 16/8/4 floats or 8/4/2 doubles; everything else is the same code.</summary>
internal static unsafe partial class GemmBlock<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int MR = Gemm.MR;

    /// <summary>Computes C[m0..m1, n0..n1) on the calling thread with the pack buffers of <paramref name="home"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RunBlock(in Gemm.Problem p, Gemm.Workspace home, int m0, int m1, int n0, int n1)
    {
        if (m0 >= m1 || n0 >= n1)
        {
            return;
        }
        if (p.Narrow)
        {
            RunNarrow(p, home, m0, m1);
            return;
        }
        int nr = p.Nr,
            m = p.M,
            n = p.N,
            k = p.K;
        // Equal blocks rather than full blocks and a sliver: 150 rows are 78 + 72, not 144 + 6.
        int ncMax = Gemm.BlockSize(n1 - n0, Gemm.NC, nr),
            kcMax = p.KcMax,
            mcMax = Gemm.BlockSize(m1 - m0, Gemm.MC, MR);
        // At 512 bits the kernels read a row-major A and whole panels of a row-major B where they lie (A's tile from six
        // row addresses, B's panel at ldb = N) rather than from packed copies: A's tile and B's panel stay in L1 across
        // the loops either way, and the copies were 9-15 % of a (128×784)·(784×300) product. Only where the rows spread
        // over L1's sets, though: rows a multiple of 128 bytes apart (N = 512 floats: 2 KB) share a few sets, and a
        // panel of them evicts itself (square 1024 in place ran at 0.58× OpenBLAS). A stored transposed is still packed:
        // in place, each k of a tile would be a new cache line, and for a long M a new page. The 128-bit kernel keeps
        // both copies. At 256 bits an operand is read in place only where packing it would cost about what the kernel
        // does with it: B when each of its panels serves at most two tiles of A (C 10 rows tall, as Cᵀ of a 10-column C
        // is: dW (300×128)·(128×10)), A when C is one panel wide (a 10-column C: (128×300)·(300×10)).
        bool wide = nr == 2 * Vector512<T>.Count,
            at256 = nr == 2 * Vector256<T>.Count,
            inPlaceA = (wide && !p.TransA && SpreadsOverL1(k)) || (n1 - n0 <= nr && Gemm.ReadsAInPlaceAt256(nr, sizeof(T), p.TransA, k)),
            inPlaceB = (wide || (at256 && m <= 2 * MR)) && !p.TransB && SpreadsOverL1(n);
        Gemm.Workspace ws = home.Reserve(Gemm.BufferSizes.For(p, m1 - m0, n1 - n0));
        T* ap = (T*)ws.PackedA,
            bp = (T*)ws.PackedB,
            tile = (T*)ws.Tile;
        fixed (
            T* a = Unsafe.As<T[]>(p.A),
                b = Unsafe.As<T[]>(p.B),
                c = Unsafe.As<T[]>(p.C)
        )
        {
            for (int jc = n0; jc < n1; jc += ncMax)
            {
                int nc = Math.Min(ncMax, n1 - jc);
                for (int pc = 0; pc < k; pc += kcMax)
                {
                    int kc = Math.Min(kcMax, k - pc);
                    bool overwrite = pc == 0 && !p.Accumulate;
                    int whole = nc / nr * nr;
                    if (p.TransB)
                    {
                        PackBTransposed(b, k, jc, nc, pc, kc, nr, bp);
                    }
                    else if (inPlaceB)
                    {
                        if (nc > whole)
                        {
                            // Only the edge panel, which needs zeros past B's last column.
                            PackB(b, n, jc + whole, nc - whole, pc, kc, nr, bp);
                        }
                    }
                    else
                    {
                        PackB(b, n, jc, nc, pc, kc, nr, bp);
                    }
                    for (int ic = m0; ic < m1; ic += mcMax)
                    {
                        int mc = Math.Min(mcMax, m1 - ic);
                        if (p.TransA)
                        {
                            PackATransposed(a, m, ic, mc, pc, kc, ap);
                        }
                        else if (!inPlaceA)
                        {
                            PackA(a, k, ic, mc, pc, kc, ap);
                        }
                        for (int jr = 0; jr < nc; jr += nr)
                        {
                            int cols = Math.Min(nr, nc - jr);
                            T* bPanel =
                                !inPlaceB ? bp + (jr * kc)
                                : jr < whole ? b + ((long)pc * n) + jc + jr
                                : bp;
                            int ldb = inPlaceB && jr < whole ? n : nr;
                            for (int ir = 0; ir < mc; ir += MR)
                            {
                                int rows = Math.Min(MR, mc - ir);
                                T* aPanel = inPlaceA ? a + ((long)(ic + ir) * k) + pc : ap + (ir * kc);
                                int rowStep = inPlaceA ? k : 1,
                                    kStep = inPlaceA ? 1 : MR;
                                T* cTile = c + ((long)(ic + ir) * n) + jc + jr;
                                if (rows == MR && cols == nr && !p.TransC)
                                {
                                    // A whole tile of C: the kernel stores its registers there itself (for a small K,
                                    // going through the tile buffer costs as much as the FMAs).
                                    if (wide)
                                    {
                                        Kernel512(aPanel, rowStep, kStep, rows, bPanel, ldb, kc, tile, cTile, n, overwrite);
                                    }
                                    else if (at256)
                                    {
                                        Kernel256(aPanel, rowStep, kStep, rows, bPanel, ldb, kc, tile, cTile, n, overwrite);
                                    }
                                    else
                                    {
                                        Kernel128(aPanel, bPanel, kc, tile, cTile, n, overwrite);
                                    }
                                    continue;
                                }
                                if (wide && cols <= Vector512<T>.Count)
                                {
                                    // Only the edge panel is this narrow, and it is always packed (ldb = nr).
                                    KernelHalf512(aPanel, rowStep, kStep, rows, bPanel, nr, kc, tile);
                                }
                                else if (wide)
                                {
                                    Kernel512(aPanel, rowStep, kStep, rows, bPanel, ldb, kc, tile);
                                }
                                else if (at256)
                                {
                                    Kernel256(aPanel, rowStep, kStep, rows, bPanel, ldb, kc, tile);
                                }
                                else
                                {
                                    Kernel128(aPanel, bPanel, kc, tile);
                                }
                                if (p.TransC)
                                {
                                    UpdateTransposed(tile, nr, c + ((long)(jc + jr) * m) + ic + ir, m, rows, cols, overwrite);
                                }
                                else
                                {
                                    Update(tile, nr, cTile, n, rows, cols, overwrite);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static bool SpreadsOverL1(int length) => Gemm.SpreadsOverL1(length, sizeof(T));

    /// <summary>C[0..rows, 0..cols) = tile (overwrite) or += tile; the tile is MR×nr, row-major.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Update(T* tile, int nr, T* c, int ldc, int rows, int cols, bool overwrite)
    {
        for (int r = 0; r < rows; r++, tile += nr, c += ldc)
        {
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; j <= cols - Vector512<T>.Count; j += Vector512<T>.Count)
                {
                    Vector512<T> t = Vector512.Load(tile + j);
                    (overwrite ? t : Vector512.Load(c + j) + t).Store(c + j);
                }
            }
            if (Vector256.IsHardwareAccelerated)
            {
                for (; j <= cols - Vector256<T>.Count; j += Vector256<T>.Count)
                {
                    Vector256<T> t = Vector256.Load(tile + j);
                    (overwrite ? t : Vector256.Load(c + j) + t).Store(c + j);
                }
            }
            for (; j <= cols - Vector128<T>.Count; j += Vector128<T>.Count)
            {
                Vector128<T> t = Vector128.Load(tile + j);
                (overwrite ? t : Vector128.Load(c + j) + t).Store(c + j);
            }
            for (; j < cols; j++)
            {
                c[j] = overwrite ? tile[j] : c[j] + tile[j];
            }
        }
    }

    /// <summary>Cᵀ[0..rows, 0..cols) (=|+=) tile, where C is stored transposed: element (r, j) is c[j·ldc + r].</summary>
    private static void UpdateTransposed(T* tile, int nr, T* c, int ldc, int rows, int cols, bool overwrite)
    {
        for (int r = 0; r < rows; r++, tile += nr, c++)
        {
            for (int j = 0; j < cols; j++)
            {
                T* x = c + ((long)j * ldc);
                *x = overwrite ? tile[j] : *x + tile[j];
            }
        }
    }
}

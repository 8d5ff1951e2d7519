using System.Numerics;

namespace MnistNotebooks.Kernels;

/// <summary>C (+)= op(A)·op(B) in plain loops, to read before the fast GEMM and to test it against: A is (M, K) or
/// stored (K, M) when transA, B is (K, N) or stored (N, K) when transB, C is (M, N).</summary>
internal static class GemmReference
{
    /// <summary>The textbook triple loop: C[i, j] (+)= Σ_p A[i, p]·B[p, j], k in ascending order.</summary>
    internal static void Naive<T>(T[] a, bool transA, T[] b, bool transB, T[] c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T s = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    s += a[transA ? p * m + i : i * k + p] * b[transB ? j * k + p : p * n + j];
                }
                c[i * n + j] = accumulate ? c[i * n + j] + s : s;
            }
        }
    }

    /// <summary>The fast GEMM's loop nest without packing or vectors: the sum over k is cut into equal slices (at most
    /// KC, or NarrowKC when C is at most 16 columns wide) and C into
    /// MR×NR tiles; a tile's slice sum starts at zero in registers (here, <c>tile</c>), takes one rank-1 update per k
    /// (what the micro-kernel does with FMAs), and is then added to C. Each C element thus adds its slices in order,
    /// whichever thread computes which tile and whichever vector width or path the fast GEMM takes: the reason results
    /// do not depend on the thread count or the machine. With hardware FMA the fast GEMM equals this bit for bit.</summary>
    internal static void Tiled<T>(T[] a, bool transA, T[] b, bool transB, T[] c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int mr = Gemm.MR,
            nr = 16;
        Span<T> tile = stackalloc T[mr * nr];
        if (k == 0 && !accumulate)
        {
            c.AsSpan(0, m * n).Clear();
        }
        int kcMax = Gemm.SliceFor(n, k); // equal slices (300 is 150 + 150, not 256 + 44), longer for a narrow C
        for (int pc = 0; pc < k; pc += kcMax)
        {
            int kc = Math.Min(kcMax, k - pc);
            for (int ic = 0; ic < m; ic += mr)
            {
                for (int jc = 0; jc < n; jc += nr)
                {
                    int rows = Math.Min(mr, m - ic),
                        cols = Math.Min(nr, n - jc);
                    tile.Clear();
                    for (int p = pc; p < pc + kc; p++)
                    {
                        for (int r = 0; r < rows; r++)
                        {
                            T air = a[transA ? p * m + ic + r : (ic + r) * k + p];
                            for (int j = 0; j < cols; j++)
                            {
                                T bpj = b[transB ? (jc + j) * k + p : p * n + jc + j];
                                tile[r * nr + j] = T.FusedMultiplyAdd(air, bpj, tile[r * nr + j]);
                            }
                        }
                    }
                    for (int r = 0; r < rows; r++)
                    {
                        for (int j = 0; j < cols; j++)
                        {
                            ref T cij = ref c[(ic + r) * n + jc + j];
                            cij = pc == 0 && !accumulate ? tile[r * nr + j] : cij + tile[r * nr + j];
                        }
                    }
                }
            }
        }
    }
}

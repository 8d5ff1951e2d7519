using System.Numerics;

namespace MnistNotebooks.Kernels;

/// <summary>The blocked GEMM behind <see cref="MatMul"/>: C (+)= op(A)·op(B), op = identity or transpose, in float or double.</summary>
/// <remarks>
/// GotoBLAS/BLIS loop order: for each NC-column block of C and each KC-slice of the sum, B is packed into
/// NR-column panels (NR = two vectors) and A into MR-row panels, and a micro-kernel keeps an MR×NR tile of C in
/// 12 vector registers while it runs over the slice (at 512 bits, a row-major A and whole panels of a row-major B are
/// read where they lie instead: see <see cref="GemmBlock{T}.RunBlock"/>). Each tile starts its sum at zero in every
/// KC-slice and adds it to C, so every C element sees the same additions in the same order whatever the thread split: threads own
/// whole blocks of C (never a share of the K sum) and the results are bit-identical for any thread count.
/// Read <see cref="GemmReference"/> first: the same loop nest in a few plain loops, and the triple loop it is tested
/// against. This class (Gemm*.cs) splits the work and owns the buffers and threads; <see cref="GemmBlock{T}"/>
/// (GemmBlock*.cs) computes one block in T: the block loops, packing, and one micro-kernel per vector width.
/// </remarks>
internal static unsafe partial class Gemm
{
    internal const int MR = 6;
    internal const int KC = 256;
    internal const int MC = 144; // a multiple of MR: the packed A block (MC×KC) stays in L2
    internal const int NC = 512; // a multiple of every NR: the packed B block (KC×NC) stays in L2
    internal const int NarrowWidth = 16; // columns of C on the narrow path: one Vector512 of floats, two of doubles
    internal const int NarrowRows = 2 * MR; // 12 accumulators: enough independent FMA chains to hide their latency
    internal const int NarrowKC = 512; // a 16-column panel of B (K×16 floats) fits L1 up to about here: one K-slice
    internal const int NarrowDirectRows = 8; // 8 chains (4-cycle FMA × 2 ports) and 8 row addresses from 3 registers

    // Below this, one thread: waking another costs more than it saves. Measured at 2 threads (Zen 3): the 10-class
    // layer's 768k-flop products ran 20-35 % faster split than alone, against a worker that starts in about 1 µs.
    private const long ParallelFlops = 500_000;

    /// <summary>One product to compute, in float[] or double[]. A is (M, K) or, when TransA, stored as (K, M); B is
    /// (K, N) or, when TransB, stored as (N, K); C is (M, N) or, when TransC, stored as (N, M).</summary>
    internal readonly record struct Problem(
        Array A,
        bool TransA,
        Array B,
        bool TransB,
        Array C,
        bool TransC,
        int M,
        int N,
        int K,
        bool Accumulate,
        int Nr,
        int ElementSize,
        int KcMax,
        bool Narrow = false
    );

    /// <summary>The longest K-slice for a product whose C has <paramref name="n"/> columns. It depends on the product
    /// alone, never on the path that computes it (the narrow path at 512 bits, the transposed-C path below), so every
    /// element of C sums the same slices in the same order on every machine: the results do not depend on the vector
    /// width any more than on the thread count.</summary>
    internal static int SliceFor(int n, int k) => BlockSize(Math.Max(k, 1), n <= NarrowWidth ? NarrowKC : KC, 1);

    internal static void Run<T>(T[] a, bool transA, T[] b, bool transB, T[] c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0)
        {
            if (!accumulate)
            {
                c.AsSpan(0, m * n).Clear();
            }
            return;
        }
        int size = sizeof(T);
        int nr = Simd.Bits / (4 * size); // two vectors: 32, 16 or 8 floats; 16, 8 or 4 doubles
        int kcMax = SliceFor(n, k);
        Problem p =
            Simd.Bits == 512 && n <= NarrowWidth
                // C at most 16 columns wide (e.g. 128×10): one 16-column panel of B, A read in place, as OpenBLAS does.
                ? new Problem(a, transA, b, transB, c, TransC: false, m, n, k, accumulate, NarrowWidth, size, kcMax, Narrow: true)
            : n < nr && m > n && !ReadsAInPlaceAt256(nr, size, transA, k)
                // A narrow C (e.g. 128×10) would waste most of an NR-column tile: compute Cᵀ = Bᵀ·Aᵀ instead and
                // store it transposed. Each element still sums the same products in the same order. At 256 bits a
                // row-major A is read in place instead (GemmBlock.RunBlock), which costs less than packing Aᵀ as B.
                ? new Problem(b, !transB, a, !transA, c, TransC: true, n, m, k, accumulate, nr, size, kcMax)
            : new Problem(a, transA, b, transB, c, TransC: false, m, n, k, accumulate, nr, size, kcMax);
        int threads = (long)2 * m * n * k < ParallelFlops ? 1 : Parallelism.Threads;
        if (threads <= 1)
        {
            RunBlock(p, Workspace.Current, 0, p.M, 0, p.N);
        }
        else
        {
            RunParallel(p, threads);
        }
    }

    /// <summary>Computes C[m0..m1, n0..n1) on the calling thread in the problem's element type.</summary>
    private static void RunBlock(in Problem p, Workspace home, int m0, int m1, int n0, int n1)
    {
        if (p.A is double[])
        {
            GemmBlock<double>.RunBlock(p, home, m0, m1, n0, n1);
        }
        else
        {
            GemmBlock<float>.RunBlock(p, home, m0, m1, n0, n1);
        }
    }

    /// <summary>Whether rows <paramref name="length"/> elements apart fall into many L1 sets: an odd number of 64-byte
    /// lines apart, or not a whole number of them.</summary>
    internal static bool SpreadsOverL1(int length, int elementSize) => (long)length * elementSize % 128 != 0;

    /// <summary>Whether the 256-bit kernel (NR = two Vector256) reads A where it lies when C is one NR-wide panel: A
    /// row-major, its rows spread over L1. Run then keeps a narrow C as it is rather than computing Cᵀ; RunBlock
    /// decides the same way, from the problem's NR (a worker thread may not see the caller's forced width).</summary>
    internal static bool ReadsAInPlaceAt256(int nr, int elementSize, bool transA, int k) =>
        nr * elementSize == 2 * 32 && !transA && SpreadsOverL1(k, elementSize);

    internal static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    /// <summary>The block size (a multiple of <paramref name="multiple"/>, at most about <paramref name="max"/>)
    /// that cuts <paramref name="length"/> into the fewest, most equal blocks.</summary>
    internal static int BlockSize(int length, int max, int multiple)
    {
        int blocks = (length + max - 1) / max;
        return RoundUp((length + blocks - 1) / blocks, multiple);
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MnistNotebooks.Kernels;

/// <summary>The blocked GEMM behind <see cref="MatMul"/>: C (+)= op(A)·op(B), op = identity or transpose, in float or double.</summary>
/// <remarks>
/// GotoBLAS/BLIS loop order: for each NC-column block of C and each KC-slice of the sum, B is packed into
/// NR-column panels (NR = two vectors) and A into MR-row panels, and a micro-kernel keeps an MR×NR tile of C in
/// 12 vector registers while it runs over the slice. Each tile starts its sum at zero in every KC-slice and adds
/// it to C, so every C element sees the same additions in the same order whatever the thread split: threads own
/// whole blocks of C (never a share of the K sum) and the results are bit-identical for any thread count.
/// This class splits the work and owns the buffers and threads; <see cref="Gemm{T}"/> computes one block in T.
/// </remarks>
internal static unsafe class Gemm
{
    internal const int MR = 6;
    internal const int KC = 256;
    internal const int MC = 144; // a multiple of MR: the packed A block (MC×KC) stays in L2
    internal const int NC = 512; // a multiple of every NR: the packed B block (KC×NC) stays in L2
    internal const int NarrowWidth = 16; // columns of C on the narrow path: one Vector512 of floats, two of doubles
    internal const int NarrowRows = 2 * MR; // 12 accumulators: enough independent FMA chains to hide their latency
    internal const int NarrowKC = 512; // a one-vector panel of B (K×16 floats) fits L1 up to about here: one K-slice
    internal const int NarrowDirectRows = 8; // 8 chains (4-cycle FMA × 2 ports) and 8 row addresses from 3 registers
    private const long ParallelFlops = 4_000_000; // below this, one thread: waking another costs more than it saves

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
        bool Narrow = false
    );

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
        Problem p =
            Simd.Bits == 512 && n <= NarrowWidth
                // C at most 16 columns wide (e.g. 128×10): one 16-column panel of B, A read in place, as OpenBLAS does.
                ? new Problem(a, transA, b, transB, c, TransC: false, m, n, k, accumulate, NarrowWidth, size, Narrow: true)
            : n < nr && m > n
                // A narrow C (e.g. 128×10) would waste most of an NR-column tile: compute Cᵀ = Bᵀ·Aᵀ instead and
                // store it transposed. Each element still sums the same products in the same order.
                ? new Problem(b, !transB, a, !transA, c, TransC: true, n, m, k, accumulate, nr, size)
            : new Problem(a, transA, b, transB, c, TransC: false, m, n, k, accumulate, nr, size);
        int threads = (long)2 * m * n * k < ParallelFlops ? 1 : Math.Min(Parallelism.MaxThreads, Environment.ProcessorCount);
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
            Gemm<double>.RunBlock(p, home, m0, m1, n0, n1);
        }
        else
        {
            Gemm<float>.RunBlock(p, home, m0, m1, n0, n1);
        }
    }

    /// <summary>Splits C into one block of whole tiles per thread, along the dimension that balances better
    /// (ties go to N, so that every thread packs only its own columns of B). The calling thread works too, and
    /// whichever thread is free takes the next block, so a late worker costs nothing.</summary>
    private static void RunParallel(in Problem p, int threads)
    {
        int m = p.M,
            n = p.N,
            nr = p.Nr;
        int tilesM = (m + MR - 1) / MR,
            tilesN = (n + nr - 1) / nr;
        threads = Math.Min(threads, Math.Max(tilesM, tilesN));
        int perN = (tilesN + threads - 1) / threads,
            perM = (tilesM + threads - 1) / threads;
        double balanceN = (double)n / (threads * Math.Min(n, perN * nr));
        double balanceM = (double)m / (threads * Math.Min(m, perM * MR));
        // The caller may end up computing everything alone (below, or when the workers are late), and any helper
        // slot may get any block: size every buffer for the whole product now, so that a later step never grows one.
        BufferSizes sizes = BufferSizes.For(p, m, n);
        Workspace.Current.Reserve(sizes);
        foreach (Workspace helper in ParallelJob.HelperSpace(threads - 1))
        {
            helper.Reserve(sizes);
        }
        ParallelJob? job = ParallelJob.Rent(p, threads, balanceN >= balanceM, balanceN >= balanceM ? perN * nr : perM * MR);
        if (job is null)
        {
            // Every job is still held by a late worker (a busy machine): compute alone, the same result.
            RunBlock(p, Workspace.Current, 0, p.M, 0, p.N);
            return;
        }
        for (int t = 1; t < threads; t++)
        {
            job.Queue();
        }
        job.Run(Workspace.Current);
        job.WaitForAll();
    }

    /// <summary>One parallel product: blocks 0..count of C, each taken by exactly one thread. Each calling thread has a
    /// few jobs, allocated once and reused once every worker they were posted to has left them.</summary>
    private sealed class ParallelJob
    {
        private const int PerThread = 4;

        [ThreadStatic]
        private static ParallelJob[]? pool;

        // The workers' pack buffers, one per helper slot, shared by this calling thread's jobs: only one of them
        // computes at a time (a job ends when its last block does), so whichever worker turns up, nothing grows.
        [ThreadStatic]
        private static Workspace[]? helpers;

        private Problem p;
        private ArraySegment<Workspace> helperSpace;
        private int slots;
        private int count,
            blockSize;
        private bool splitN;
        private int next,
            done,
            queued,
            exited;

        /// <summary>An idle job set up for this product, or null when all of this thread's jobs are still held.</summary>
        internal static ParallelJob? Rent(in Problem p, int count, bool splitN, int blockSize)
        {
            if (pool is null)
            {
                pool = new ParallelJob[PerThread];
                for (int i = 0; i < pool.Length; i++)
                {
                    pool[i] = new ParallelJob();
                }
            }
            foreach (ParallelJob job in pool)
            {
                if (Volatile.Read(ref job.exited) == job.queued)
                {
                    (job.p, job.count, job.splitN, job.blockSize) = (p, count, splitN, blockSize);
                    (job.next, job.done, job.queued, job.exited, job.slots) = (-1, 0, 0, 0, 0);
                    job.helperSpace = HelperSpace(Environment.ProcessorCount);
                    return job;
                }
            }
            return null;
        }

        internal void Queue()
        {
            if (Workers.TryPost(this))
            {
                queued++;
            }
        }

        /// <summary>The calling thread's first <paramref name="count"/> helper slots (at most one per processor).</summary>
        internal static ArraySegment<Workspace> HelperSpace(int count)
        {
            helpers ??= [.. Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new Workspace())];
            return new ArraySegment<Workspace>(helpers, 0, Math.Min(count, helpers.Length));
        }

        internal void Execute()
        {
            Run(null);
            Interlocked.Increment(ref exited);
        }

        /// <summary>Computes blocks until none is left, with <paramref name="own"/> buffers (the caller's) or, for a
        /// worker, a helper slot's, taken only once it has a block.</summary>
        internal void Run(Workspace? own)
        {
            int i;
            Workspace? ws = own;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                ws ??= helperSpace[Interlocked.Increment(ref slots) - 1];
                int start = i * blockSize;
                if (splitN)
                {
                    RunBlock(p, ws, 0, p.M, Math.Min(p.N, start), Math.Min(p.N, start + blockSize));
                }
                else
                {
                    RunBlock(p, ws, Math.Min(p.M, start), Math.Min(p.M, start + blockSize), 0, p.N);
                }
                Interlocked.Increment(ref done);
            }
        }

        internal void WaitForAll()
        {
            var spin = default(SpinWait);
            while (Volatile.Read(ref done) < count)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    /// <summary>Background threads of our own (one per processor but one) that take posted jobs. The runtime's thread pool
    /// would do, but it injects threads when it sees its workers busy, and each new thread allocates mid-training.</summary>
    private static class Workers
    {
        private static readonly object Gate = new();
        private static readonly ParallelJob?[] Ring = new ParallelJob?[256];
        private static readonly SemaphoreSlim Posted = new(0);
        private static int head,
            length;
        private static bool started;

        /// <summary>Posts the job for one worker; false when the ring is full (the caller then computes those blocks itself).</summary>
        internal static bool TryPost(ParallelJob job)
        {
            lock (Gate)
            {
                if (!started)
                {
                    for (int t = 1; t < Environment.ProcessorCount; t++)
                    {
                        new Thread(Work) { IsBackground = true, Name = "MnistNotebooks GEMM " + t }.Start();
                    }
                    started = true;
                }
                if (length == Ring.Length)
                {
                    return false;
                }
                Ring[(head + length++) % Ring.Length] = job;
            }
            Posted.Release();
            return true;
        }

        private static void Work()
        {
            while (true)
            {
                Posted.Wait();
                ParallelJob job;
                lock (Gate)
                {
                    job = Ring[head]!;
                    Ring[head] = null;
                    head = (head + 1) % Ring.Length;
                    length--;
                }
                job.Execute();
            }
        }
    }

    internal static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    /// <summary>The block size (a multiple of <paramref name="multiple"/>, at most about <paramref name="max"/>)
    /// that cuts <paramref name="length"/> into the fewest, most equal blocks.</summary>
    internal static int BlockSize(int length, int max, int multiple)
    {
        int blocks = (length + max - 1) / max;
        return RoundUp((length + blocks - 1) / blocks, multiple);
    }

    /// <summary>Pack buffers, 64-byte aligned in a pinned array, grown on demand and then reused: one per calling thread,
    /// and one per helper slot of a calling thread's parallel products (so a worker never needs its own). Float and
    /// double products share them.</summary>
    internal sealed class Workspace
    {
        [ThreadStatic]
        private static Workspace? current;

        /// <summary>The calling thread's own workspace.</summary>
        internal static Workspace Current => current ??= new Workspace();

        private byte[] storage = [];

        internal byte* PackedA { get; private set; }
        internal byte* PackedB { get; private set; }
        internal byte* Tile { get; private set; }

        /// <summary>Grows the buffers, if needed, to hold A, B and tile blocks of these sizes, and points at them.</summary>
        internal Workspace Reserve(BufferSizes sizes)
        {
            int aSize = RoundUp(sizes.A, 64),
                bSize = RoundUp(sizes.B, 64),
                tSize = RoundUp(sizes.Tile, 64);
            int needed = aSize + bSize + tSize + 64;
            if (storage.Length < needed)
            {
                storage = GC.AllocateUninitializedArray<byte>(Math.Max(needed, storage.Length * 2), pinned: true);
            }
            byte* start = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(storage));
            byte* aligned = (byte*)(((nuint)start + 63) & ~(nuint)63);
            PackedA = aligned;
            PackedB = aligned + aSize;
            Tile = aligned + aSize + bSize;
            return this;
        }
    }

    /// <summary>Bytes of packed A, packed B and tile that a block needs for any block of C up to rows × cols.</summary>
    internal readonly record struct BufferSizes(int A, int B, int Tile)
    {
        internal static BufferSizes For(in Problem p, int rows, int cols)
        {
            int e = p.ElementSize;
            if (p.Narrow)
            {
                int kc = BlockSize(p.K, NarrowKC, 1);
                return new BufferSizes(NarrowRows * kc * e, p.Nr * kc * e, NarrowRows * p.Nr * e);
            }
            // RoundUp(min(length, max)) bounds BlockSize(length, max, multiple) for every length up to this one (BlockSize
            // itself is not monotone: 144 rows are one block of 144, 145 two of 78), so a sub-block never needs more.
            int kcMax = BlockSize(p.K, KC, 1);
            return new BufferSizes(
                RoundUp(Math.Min(rows, MC), MR) * kcMax * e,
                RoundUp(Math.Min(cols, NC), p.Nr) * kcMax * e,
                MR * p.Nr * e
            );
        }
    }
}

/// <summary>One block of the GEMM in T (float or double): the loops over blocks, packing, micro-kernels and the
/// update of C. Vector512/256/128 of T hold 16/8/4 floats or 8/4/2 doubles; everything else is the same code.</summary>
internal static unsafe class Gemm<T>
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
            kcMax = Gemm.BlockSize(k, Gemm.KC, 1),
            mcMax = Gemm.BlockSize(m1 - m0, Gemm.MC, MR);
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
                    if (p.TransB)
                    {
                        PackBTransposed(b, k, jc, nc, pc, kc, nr, bp);
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
                        else
                        {
                            PackA(a, k, ic, mc, pc, kc, ap);
                        }
                        for (int jr = 0; jr < nc; jr += nr)
                        {
                            int cols = Math.Min(nr, nc - jr);
                            T* bPanel = bp + (jr * kc);
                            for (int ir = 0; ir < mc; ir += MR)
                            {
                                int rows = Math.Min(MR, mc - ir);
                                T* aPanel = ap + (ir * kc);
                                if (nr == 2 * Vector512<T>.Count)
                                {
                                    Kernel512(aPanel, MR, bPanel, kc, tile);
                                }
                                else if (nr == 2 * Vector256<T>.Count)
                                {
                                    Kernel256(aPanel, bPanel, kc, tile);
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
                                    Update(tile, nr, c + ((long)(ic + ir) * n) + jc + jr, n, rows, cols, overwrite);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Computes C[m0..m1, 0..N) for N ≤ 16 on the calling thread: B packed into one 16-column panel (zero past
    /// N), A read in place, only the last, partial tile packed. Floats: one vector per row of C, 8 rows at a time
    /// row-major, 12 stored transposed; doubles: two vectors per row, 6 rows at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunNarrow(in Gemm.Problem p, Gemm.Workspace home, int m0, int m1)
    {
        int m = p.M,
            n = p.N,
            k = p.K,
            w = Gemm.NarrowWidth;
        int kcMax = Gemm.BlockSize(k, Gemm.NarrowKC, 1);
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
                int step =
                    pairs ? MR
                    : p.TransA ? Gemm.NarrowRows
                    : Gemm.NarrowDirectRows;
                for (int ir = m0; ir < m1; ir += step)
                {
                    int rows = Math.Min(step, m1 - ir);
                    if (pairs)
                    {
                        if (rows == MR && !p.TransA)
                        {
                            KernelNarrowRowPairs512(a + ((long)ir * k) + pc, k, bp, kc, tile);
                        }
                        else if (rows == MR)
                        {
                            Kernel512(a + ((long)pc * m) + ir, m, bp, kc, tile);
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
                            Kernel512(ap, MR, bp, kc, tile);
                        }
                        Update(tile, w, c + ((long)ir * n), n, rows, n, overwrite);
                        continue;
                    }
                    if (rows == Gemm.NarrowDirectRows && !p.TransA)
                    {
                        KernelNarrowRows512(a + ((long)ir * k) + pc, k, bp, kc, tile);
                        Update(tile, w, c + ((long)ir * n), n, rows, n, overwrite);
                        continue;
                    }
                    T* a0,
                        a1;
                    int stride;
                    if (p.TransA && rows == Gemm.NarrowRows)
                    {
                        a0 = a + ((long)pc * m) + ir;
                        a1 = a0 + MR;
                        stride = m;
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
                        a0 = ap;
                        // Six rows or fewer fill one panel; the kernel then computes it twice rather than read an unpacked one.
                        a1 = rows > MR ? ap + (MR * kc) : ap;
                        stride = MR;
                    }
                    KernelNarrow512(a0, a1, stride, bp, kc, tile);
                    Update(tile, w, c + ((long)ir * n), n, rows, n, overwrite);
                }
            }
        }
    }

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackATransposed(T* a, int lda, int i0, int mc, int p0, int kc, T* dst)
    {
        for (int ir = 0; ir < mc; ir += MR)
        {
            int rows = Math.Min(MR, mc - ir);
            T* d = dst + (ir * kc);
            T* s = a + ((long)p0 * lda) + i0 + ir;
            for (int q = 0; q < kc; q++, d += MR, s += lda)
            {
                if (rows == MR)
                {
                    d[0] = s[0];
                    d[1] = s[1];
                    d[2] = s[2];
                    d[3] = s[3];
                    d[4] = s[4];
                    d[5] = s[5];
                }
                else
                {
                    for (int r = 0; r < MR; r++)
                    {
                        d[r] = r < rows ? s[r] : T.Zero;
                    }
                }
            }
        }
    }

    /// <summary>Packs B[p0.., j0..] (B is (K, N), ldb = N) into NR-column panels: panel[p·NR + j] = B[p0 + p, j0 + j];
    /// columns past the edge are zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(T* b, int ldb, int j0, int nc, int p0, int kc, int nr, T* dst)
    {
        int w = Vector128<T>.Count;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            T* d = dst + (jr * kc);
            T* s = b + ((long)p0 * ldb) + j0 + jr;
            for (int q = 0; q < kc; q++, d += nr, s += ldb)
            {
                if (cols == nr)
                {
                    Buffer.MemoryCopy(s, d, nr * sizeof(T), nr * sizeof(T));
                }
                else
                {
                    // nr is a multiple of one Vector128: clear the panel row, then copy the columns that exist.
                    for (int j = 0; j < nr; j += w)
                    {
                        Vector128<T>.Zero.Store(d + j);
                    }
                    int c = 0;
                    for (; c + w <= cols; c += w)
                    {
                        Vector128.Load(s + c).Store(d + c);
                    }
                    for (; c < cols; c++)
                    {
                        d[c] = s[c];
                    }
                }
            }
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

    /// <summary>tile (6×2W) = Σ_p a[p·stride + r]·b[p·2W + j], W = Vector512&lt;T&gt;.Count: 12 accumulators, loads,
    /// broadcasts and FMAs only. A is a packed panel (stride 6) or, on the narrow path, stored transposed in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512(T* a, int stride, T* b, int kc, T* tile)
    {
        int w = Vector512<T>.Count;
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
        for (int q = 0; q < kc; q++, a += stride, b += 2 * w)
        {
            Vector512<T> b0 = Vector512.Load(b),
                b1 = Vector512.Load(b + w);
            Vector512<T> x = Vector512.Create(a[0]);
            c00 = Simd.MulAdd(x, b0, c00);
            c01 = Simd.MulAdd(x, b1, c01);
            x = Vector512.Create(a[1]);
            c10 = Simd.MulAdd(x, b0, c10);
            c11 = Simd.MulAdd(x, b1, c11);
            x = Vector512.Create(a[2]);
            c20 = Simd.MulAdd(x, b0, c20);
            c21 = Simd.MulAdd(x, b1, c21);
            x = Vector512.Create(a[3]);
            c30 = Simd.MulAdd(x, b0, c30);
            c31 = Simd.MulAdd(x, b1, c31);
            x = Vector512.Create(a[4]);
            c40 = Simd.MulAdd(x, b0, c40);
            c41 = Simd.MulAdd(x, b1, c41);
            x = Vector512.Create(a[5]);
            c50 = Simd.MulAdd(x, b0, c50);
            c51 = Simd.MulAdd(x, b1, c51);
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

    /// <summary>tile (6×2W) = Σ_p A[r, p]·b[p·2W + j] with A row-major in place (row r at a[r·lda + p]), W =
    /// Vector512&lt;T&gt;.Count: the narrow path's kernel for doubles, two vectors per row of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelNarrowRowPairs512(T* a, int lda, T* b, int kc, T* tile)
    {
        int w = Vector512<T>.Count;
        nint l1 = lda,
            l2 = 2 * (nint)lda;
        T* a3 = a + (3 * l1);
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
        for (int q = 0; q < kc; q++, a++, a3++, b += 2 * w)
        {
            Vector512<T> b0 = Vector512.Load(b),
                b1 = Vector512.Load(b + w);
            Vector512<T> x = Vector512.Create(a[0]);
            c00 = Simd.MulAdd(x, b0, c00);
            c01 = Simd.MulAdd(x, b1, c01);
            x = Vector512.Create(a[l1]);
            c10 = Simd.MulAdd(x, b0, c10);
            c11 = Simd.MulAdd(x, b1, c11);
            x = Vector512.Create(a[l2]);
            c20 = Simd.MulAdd(x, b0, c20);
            c21 = Simd.MulAdd(x, b1, c21);
            x = Vector512.Create(a3[0]);
            c30 = Simd.MulAdd(x, b0, c30);
            c31 = Simd.MulAdd(x, b1, c31);
            x = Vector512.Create(a3[l1]);
            c40 = Simd.MulAdd(x, b0, c40);
            c41 = Simd.MulAdd(x, b1, c41);
            x = Vector512.Create(a3[l2]);
            c50 = Simd.MulAdd(x, b0, c50);
            c51 = Simd.MulAdd(x, b1, c51);
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

    /// <summary>tile (6×2W) = Σ_p a[p·6 + r]·b[p·2W + j], W = Vector256&lt;T&gt;.Count, with 12 Vector256 accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256(T* a, T* b, int kc, T* tile)
    {
        int w = Vector256<T>.Count;
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
        for (int q = 0; q < kc; q++, a += MR, b += 2 * w)
        {
            Vector256<T> b0 = Vector256.Load(b),
                b1 = Vector256.Load(b + w);
            Vector256<T> x = Vector256.Create(a[0]);
            c00 = Simd.MulAdd(x, b0, c00);
            c01 = Simd.MulAdd(x, b1, c01);
            x = Vector256.Create(a[1]);
            c10 = Simd.MulAdd(x, b0, c10);
            c11 = Simd.MulAdd(x, b1, c11);
            x = Vector256.Create(a[2]);
            c20 = Simd.MulAdd(x, b0, c20);
            c21 = Simd.MulAdd(x, b1, c21);
            x = Vector256.Create(a[3]);
            c30 = Simd.MulAdd(x, b0, c30);
            c31 = Simd.MulAdd(x, b1, c31);
            x = Vector256.Create(a[4]);
            c40 = Simd.MulAdd(x, b0, c40);
            c41 = Simd.MulAdd(x, b1, c41);
            x = Vector256.Create(a[5]);
            c50 = Simd.MulAdd(x, b0, c50);
            c51 = Simd.MulAdd(x, b1, c51);
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

    /// <summary>tile (6×2W) = Σ_p a[p·6 + r]·b[p·2W + j], W = Vector128&lt;T&gt;.Count, with 12 Vector128 accumulators
    /// (SSE or NEON).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel128(T* a, T* b, int kc, T* tile)
    {
        int w = Vector128<T>.Count;
        Vector128<T> c00 = default,
            c01 = default,
            c10 = default,
            c11 = default,
            c20 = default,
            c21 = default;
        Vector128<T> c30 = default,
            c31 = default,
            c40 = default,
            c41 = default,
            c50 = default,
            c51 = default;
        for (int q = 0; q < kc; q++, a += MR, b += 2 * w)
        {
            Vector128<T> b0 = Vector128.Load(b),
                b1 = Vector128.Load(b + w);
            Vector128<T> x = Vector128.Create(a[0]);
            c00 = Simd.MulAdd(x, b0, c00);
            c01 = Simd.MulAdd(x, b1, c01);
            x = Vector128.Create(a[1]);
            c10 = Simd.MulAdd(x, b0, c10);
            c11 = Simd.MulAdd(x, b1, c11);
            x = Vector128.Create(a[2]);
            c20 = Simd.MulAdd(x, b0, c20);
            c21 = Simd.MulAdd(x, b1, c21);
            x = Vector128.Create(a[3]);
            c30 = Simd.MulAdd(x, b0, c30);
            c31 = Simd.MulAdd(x, b1, c31);
            x = Vector128.Create(a[4]);
            c40 = Simd.MulAdd(x, b0, c40);
            c41 = Simd.MulAdd(x, b1, c41);
            x = Vector128.Create(a[5]);
            c50 = Simd.MulAdd(x, b0, c50);
            c51 = Simd.MulAdd(x, b1, c51);
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

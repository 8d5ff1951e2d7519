namespace MnistNotebooks.Kernels;

// The parallel split: one block of whole tiles of C per thread, taken by whichever thread is free.
internal static unsafe partial class Gemm
{
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
        ParallelJob? job = ParallelJob.Rent(p, balanceN >= balanceM, balanceN >= balanceM ? perN * nr : perM * MR);
        if (job is null)
        {
            // Every job is still held by a late worker (a busy machine): compute alone, the same result.
            RunBlock(p, Workspace.Current, 0, p.M, 0, p.N);
            return;
        }
        job.Run(threads, threads - 1);
    }

    /// <summary>One parallel product: blocks 0..threads of C, one chunk each. The caller computes with its own buffers,
    /// each worker that joins with a helper slot's.</summary>
    private sealed class ParallelJob : ChunkJob
    {
        [ThreadStatic]
        private static ParallelJob[]? pool;

        // The workers' pack buffers, one per helper slot, shared by this calling thread's jobs: only one of them
        // computes at a time (a job ends when its last block does), so whichever worker turns up, nothing grows.
        [ThreadStatic]
        private static Workspace[]? helpers;

        private Problem p;
        private ArraySegment<Workspace> helperSpace;
        private int blockSize;
        private bool splitN;

        /// <summary>An idle job set up for this product, or null when all of this thread's jobs are still held.</summary>
        internal static ParallelJob? Rent(in Problem p, bool splitN, int blockSize)
        {
            ParallelJob? job = Rent(ref pool);
            if (job is not null)
            {
                (job.p, job.splitN, job.blockSize) = (p, splitN, blockSize);
                job.helperSpace = HelperSpace(Environment.ProcessorCount);
            }
            return job;
        }

        /// <summary>The calling thread's first <paramref name="count"/> helper slots (at most one per processor).</summary>
        internal static ArraySegment<Workspace> HelperSpace(int count)
        {
            helpers ??= [.. Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new Workspace())];
            return new ArraySegment<Workspace>(helpers, 0, Math.Min(count, helpers.Length));
        }

        protected override void RunChunk(int chunk, int participant)
        {
            Workspace ws = participant == 0 ? Workspace.Current : helperSpace[participant - 1];
            int start = chunk * blockSize;
            if (splitN)
            {
                RunBlock(p, ws, 0, p.M, Math.Min(p.N, start), Math.Min(p.N, start + blockSize));
            }
            else
            {
                RunBlock(p, ws, Math.Min(p.M, start), Math.Min(p.M, start + blockSize), 0, p.N);
            }
        }
    }
}

namespace MnistNotebooks.Kernels;

// The GEMM's own worker threads.
internal static unsafe partial class Gemm
{
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
}

namespace MnistNotebooks.Kernels;

/// <summary>Work a <see cref="WorkerPool"/> thread can take: it calls <see cref="Execute"/> once per posting.</summary>
internal abstract class PoolJob
{
    internal abstract void Execute();
}

/// <summary>Background threads of our own (one per processor but one) that take posted jobs; the kernels' calling
/// thread always works too. The runtime's thread pool would do, but it injects threads when it sees its workers busy,
/// and each new thread allocates mid-training. A worker that has just finished a job spins a little before it sleeps,
/// because a training step posts its next job within microseconds and waking a sleeping thread costs more.</summary>
internal static class WorkerPool
{
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 1_000; // 1 ms, then sleep
    private static readonly object Gate = new();
    private static readonly PoolJob?[] Ring = new PoolJob?[256];
    private static readonly SemaphoreSlim Posted = new(0);
    private static int head,
        length;
    private static bool started;

    /// <summary>Posts the job for one worker; false when the ring is full (the caller then does that share itself).</summary>
    internal static bool TryPost(PoolJob job)
    {
        lock (Gate)
        {
            if (!started)
            {
                for (int t = 1; t < Environment.ProcessorCount; t++)
                {
                    new Thread(Work) { IsBackground = true, Name = "MnistNotebooks worker " + t }.Start();
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
            if (!Posted.Wait(0))
            {
                long until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
                bool taken = false;
                while (!taken && System.Diagnostics.Stopwatch.GetTimestamp() < until)
                {
                    Thread.SpinWait(20);
                    taken = Volatile.Read(ref length) > 0 && Posted.Wait(0);
                }
                if (!taken)
                {
                    Posted.Wait();
                }
            }
            PoolJob job;
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

namespace MnistNotebooks.Kernels;

/// <summary>Work cut into chunks 0..count, each run by exactly one thread: the caller and whichever
/// <see cref="WorkerPool"/> workers turn up. A chunk's result does not depend on which thread ran it, so the results
/// are the same for any thread count. Jobs are pooled per calling thread and reused only once every worker they were
/// posted to has left them, so a late worker never sees the next call's fields.</summary>
internal abstract class ChunkJob : PoolJob
{
    private const int PerThread = 4;
    private int count,
        next,
        done,
        queued,
        exited;

    /// <summary>Runs chunk <paramref name="chunk"/> on the calling thread.</summary>
    protected abstract void RunChunk(int chunk);

    /// <summary>An idle job from <paramref name="pool"/> (created on first use), or null when every one is still held
    /// by a late worker: the caller then does the work alone.</summary>
    internal static TJob? Rent<TJob>(ref TJob[]? pool)
        where TJob : ChunkJob, new()
    {
        pool ??= [.. Enumerable.Range(0, PerThread).Select(_ => new TJob())];
        foreach (TJob job in pool)
        {
            if (Volatile.Read(ref job.exited) == job.queued)
            {
                return job;
            }
        }
        return null;
    }

    /// <summary>Runs chunks 0..<paramref name="chunks"/> on this thread and up to <paramref name="helpers"/> workers,
    /// and returns when all are done. Fields the chunks read must be set before this call.</summary>
    internal void Run(int chunks, int helpers)
    {
        (count, next, done, queued, exited) = (chunks, -1, 0, 0, 0);
        for (int h = 0; h < helpers; h++)
        {
            if (WorkerPool.TryPost(this))
            {
                queued++;
            }
        }
        Work();
        var spin = default(SpinWait);
        while (Volatile.Read(ref done) < count)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    internal override void Execute()
    {
        Work();
        Interlocked.Increment(ref exited);
    }

    private void Work()
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            RunChunk(i);
            Interlocked.Increment(ref done);
        }
    }
}

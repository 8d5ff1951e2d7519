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
        joined,
        queued,
        exited;

    /// <summary>Runs chunk <paramref name="chunk"/> on the current thread; <paramref name="participant"/> is 0 on the
    /// caller and 1, 2, … on the workers in the order they took their first chunk, for per-thread scratch space.</summary>
    protected abstract void RunChunk(int chunk, int participant);

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
        (count, next, done, joined, queued, exited) = (chunks, -1, 0, 0, 0, 0);
        for (int h = 0; h < helpers; h++)
        {
            if (WorkerPool.TryPost(this))
            {
                queued++;
            }
        }
        Work(caller: true);
        var spin = default(SpinWait);
        while (Volatile.Read(ref done) < count)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    internal override void Execute()
    {
        Work(caller: false);
        Interlocked.Increment(ref exited);
    }

    private void Work(bool caller)
    {
        int i,
            participant = caller ? 0 : -1;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            if (participant < 0)
            {
                participant = Interlocked.Increment(ref joined); // a worker's number, taken only once it has a chunk
            }
            RunChunk(i, participant);
            Interlocked.Increment(ref done);
        }
    }
}

using System.Numerics;

namespace MnistNotebooks.Kernels;

/// <summary>destination[i, :] = source[rows[offset + i], :] for every row i of destination: a batch gathered in a
/// shuffled order. The reads are scattered over the whole data set, so a large batch is split over threads to keep
/// more cache misses in flight.</summary>
internal static class RowGather
{
    private const int RowsPerChunk = 16;
    private const int ParallelLength = 1 << 16; // a batch of 128 MNIST images is 100,352 floats

    internal static void Gather<T>(Matrix<T> source, int[] rows, int offset, Matrix<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int threads = destination.Length < ParallelLength ? 1 : Parallelism.Threads;
        Job<T>? job = threads > 1 ? ChunkJob.Rent(ref Job<T>.Pool) : null;
        if (job is null)
        {
            Copy(source, rows, offset, destination, 0, destination.Rows);
            return;
        }
        (job.Source, job.Rows, job.Offset, job.Destination) = (source, rows, offset, destination);
        job.Run((destination.Rows + RowsPerChunk - 1) / RowsPerChunk, threads - 1);
        (job.Source, job.Rows, job.Destination) = (null, null, null); // hold no data set after the call
    }

    private static void Copy<T>(Matrix<T> source, int[] rows, int offset, Matrix<T> destination, int from, int to)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int f = source.Cols;
        for (int i = from; i < to; i++)
        {
            source.Data.AsSpan(rows[offset + i] * f, f).CopyTo(destination.Data.AsSpan(i * f, f));
        }
    }

    private sealed class Job<T> : ChunkJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        internal static Job<T>[]? Pool;

        internal Matrix<T>? Source,
            Destination;
        internal int[]? Rows;
        internal int Offset;

        protected override void RunChunk(int chunk, int participant)
        {
            int from = chunk * RowsPerChunk;
            Copy(Source!, Rows!, Offset, Destination!, from, Math.Min(Destination!.Rows, from + RowsPerChunk));
        }
    }
}

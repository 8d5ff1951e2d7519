using System.Numerics;

namespace MnistNotebooks.Kernels;

/// <summary>destination = sourceᵀ: (rows, cols) row-major into (cols, rows) row-major, in square tiles so that both the
/// reads and the writes stay within a few cache lines; a large matrix is split over threads by bands of columns.</summary>
/// <remarks>A copy: the result is the same whatever the tiling and the thread count. <see cref="Reference"/> is the
/// plain two-loop transpose it is tested against.</remarks>
internal static class Transposition
{
    // 32 doubles are four cache lines: a tile's 32 source rows and 32 destination rows fit in L1 together.
    private const int Tile = 32;
    private const int ParallelLength = 1 << 16;

    /// <summary>destination[c·rows + r] = source[r·cols + c] for every r &lt; rows, c &lt; cols.</summary>
    internal static void Apply<T>(T[] source, int rows, int cols, T[] destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows <= 1 || cols <= 1)
        {
            source.AsSpan(0, rows * cols).CopyTo(destination); // a vector's transpose has the same storage
            return;
        }
        int bands = (cols + Tile - 1) / Tile;
        int threads = rows * cols < ParallelLength ? 1 : Parallelism.Threads;
        Job<T>? job = threads > 1 ? ChunkJob.Rent(ref Job<T>.Pool) : null;
        if (job is null)
        {
            for (int b = 0; b < bands; b++)
            {
                Band(source, rows, cols, destination, b);
            }
            return;
        }
        (job.Source, job.Destination, job.Rows, job.Cols) = (source, destination, rows, cols);
        job.Run(bands, threads - 1);
        (job.Source, job.Destination) = (null, null); // hold no matrix after the call
    }

    /// <summary>The plain transpose, one element at a time.</summary>
    internal static void Reference<T>(T[] source, int rows, int cols, T[] destination)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                destination[c * rows + r] = source[r * cols + c];
            }
        }
    }

    /// <summary>Source columns [b·Tile, (b + 1)·Tile), which are destination rows: each written by this band alone.</summary>
    private static void Band<T>(T[] source, int rows, int cols, T[] destination, int band)
    {
        int c0 = band * Tile,
            c1 = Math.Min(cols, c0 + Tile);
        for (int r0 = 0; r0 < rows; r0 += Tile)
        {
            int r1 = Math.Min(rows, r0 + Tile);
            for (int c = c0; c < c1; c++)
            {
                Span<T> to = destination.AsSpan(c * rows + r0, r1 - r0);
                int from = r0 * cols + c;
                for (int i = 0; i < to.Length; i++, from += cols)
                {
                    to[i] = source[from];
                }
            }
        }
    }

    private sealed class Job<T> : ChunkJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        internal static Job<T>[]? Pool;

        internal T[]? Source,
            Destination;
        internal int Rows,
            Cols;

        protected override void RunChunk(int chunk, int participant) => Band(Source!, Rows, Cols, Destination!, chunk);
    }
}

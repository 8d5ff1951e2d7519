using System.Numerics;

namespace MnistNotebooks.Kernels;

// The parallel split of Map and Update: chunks of whole vectors, one thread each. A job holds raw pointers to spans
// that its caller has pinned for as long as the job runs; a late worker finds no chunk left and never reads them.
internal static unsafe partial class VectorLoops
{
    /// <summary>The length from which Update splits the work: below it, a worker costs more than it saves.</summary>
    internal const int ParallelLength = 1 << 17; // measured: 4 chunks of Adam lost on two threads, 15 won a little

    /// <summary>The length from which Map splits the work: two chunks, one for each of two threads. A ReLU over a
    /// 128×300 batch (3 chunks) took 0.007 ms on two threads against 0.012 on one (steps alternating the two in one
    /// process, on a quiet 2-core Zen 3), and 0.018 against 0.046 when the machine was busy.</summary>
    internal const int MapParallelLength = 2 * ChunkLength;

    // A multiple of every vector width, so each element takes the same (vector or scalar) path as on one thread.
    private const int ChunkLength = 1 << 14;

    private static int Chunks(int length) => (length + ChunkLength - 1) / ChunkLength;

    private static int Threads(int length, int split) => length < split ? 1 : Parallelism.Threads;

    private static (int Start, int Length) Chunk(int chunk, int n) =>
        (chunk * ChunkLength, Math.Min(ChunkLength, n - (chunk * ChunkLength)));

    private sealed class UnaryJob<T, TOp> : ChunkJob
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryOperator<T>
    {
        [ThreadStatic]
        private static UnaryJob<T, TOp>[]? pool;
        private TOp op;
        private T* x,
            y;
        private int n;

        internal static bool TryRun(TOp op, ReadOnlySpan<T> x, Span<T> y)
        {
            int threads = Threads(x.Length, MapParallelLength);
            UnaryJob<T, TOp>? job = threads > 1 ? Rent(ref pool) : null;
            if (job is null)
            {
                return false;
            }
            fixed (
                T* xp = x,
                    yp = y
            )
            {
                job.op = op;
                job.x = xp;
                job.y = yp;
                job.n = x.Length;
                job.Run(Chunks(x.Length), threads - 1);
            }
            return true;
        }

        protected override void RunChunk(int chunk, int participant)
        {
            (int start, int length) = Chunk(chunk, n);
            MapSerial(op, new ReadOnlySpan<T>(x + start, length), new Span<T>(y + start, length));
        }
    }

    private sealed class BinaryJob<T, TOp> : ChunkJob
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryOperator<T>
    {
        [ThreadStatic]
        private static BinaryJob<T, TOp>[]? pool;
        private TOp op;
        private T* x,
            y,
            z;
        private int n;

        internal static bool TryRun(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
        {
            int threads = Threads(x.Length, MapParallelLength);
            BinaryJob<T, TOp>? job = threads > 1 ? Rent(ref pool) : null;
            if (job is null)
            {
                return false;
            }
            fixed (
                T* xp = x,
                    yp = y,
                    zp = z
            )
            {
                job.op = op;
                job.x = xp;
                job.y = yp;
                job.z = zp;
                job.n = x.Length;
                job.Run(Chunks(x.Length), threads - 1);
            }
            return true;
        }

        protected override void RunChunk(int chunk, int participant)
        {
            (int start, int length) = Chunk(chunk, n);
            MapSerial(op, new ReadOnlySpan<T>(x + start, length), new ReadOnlySpan<T>(y + start, length), new Span<T>(z + start, length));
        }
    }

    private sealed class UpdateJob<T, TRule> : ChunkJob
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : struct, IUpdateRule<T>
    {
        [ThreadStatic]
        private static UpdateJob<T, TRule>[]? pool;
        private TRule rule;
        private T* w,
            g,
            s,
            t;
        private int n;

        internal static bool TryRun(TRule rule, Span<T> w, ReadOnlySpan<T> g, Span<T> s, Span<T> t)
        {
            int threads = Threads(w.Length, ParallelLength);
            UpdateJob<T, TRule>? job = threads > 1 ? Rent(ref pool) : null;
            if (job is null)
            {
                return false;
            }
            // An empty state pins as null and is passed on as empty: UpdateSerial aliases it to w as before.
            fixed (
                T* wp = w,
                    gp = g,
                    sp = s,
                    tp = t
            )
            {
                job.rule = rule;
                job.w = wp;
                job.g = gp;
                job.s = sp;
                job.t = tp;
                job.n = w.Length;
                job.Run(Chunks(w.Length), threads - 1);
            }
            return true;
        }

        protected override void RunChunk(int chunk, int participant)
        {
            (int start, int length) = Chunk(chunk, n);
            UpdateSerial(
                rule,
                new Span<T>(w + start, length),
                new ReadOnlySpan<T>(g + start, length),
                s == null ? default : new Span<T>(s + start, length),
                t == null ? default : new Span<T>(t + start, length)
            );
        }
    }
}

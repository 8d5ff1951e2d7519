using System.Numerics;

namespace MnistNotebooks.Kernels;

/// <summary>Row-wise softmax and log-softmax, stable: the row maximum is subtracted before exp, so logits of ±1e4 give
/// exact 1s, 0s and finite logs. Rows are short (ten classes), so these plain loops are the kernels and the references.</summary>
/// <remarks><c>TensorPrimitives.SoftMax</c> does not subtract the maximum: it overflows where these do not.</remarks>
public static class Softmax
{
    /// <summary>P[r, :] = exp(Z[r, :] − max) / Σ exp(Z[r, :] − max); Z and P are (rows, classes); P may be Z.</summary>
    public static void Rows<T>(Matrix<T> logits, Matrix<T> probabilities)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        ShapeMismatchException.ThrowIfNot(probabilities, logits.Rows, logits.Cols, "probabilities");
        RowJob<T>.Run(logits, probabilities, log: false);
    }

    /// <summary>L[r, :] = Z[r, :] − max − log Σ exp(Z[r, :] − max): log-softmax, finite for finite logits; L may be Z.</summary>
    public static void LogRows<T>(Matrix<T> logits, Matrix<T> logProbabilities)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        ShapeMismatchException.ThrowIfNot(logProbabilities, logits.Rows, logits.Cols, "logProbabilities");
        RowJob<T>.Run(logits, logProbabilities, log: true);
    }

    private static void SoftmaxRows<T>(Matrix<T> logits, Matrix<T> probabilities, int from, int to)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = from; r < to; r++)
        {
            Span<T> z = logits.Row(r);
            Span<T> p = probabilities.Row(r);
            T max = Max(z),
                sum = T.Zero;
            for (int c = 0; c < z.Length; c++)
            {
                p[c] = T.Exp(z[c] - max);
                sum += p[c];
            }
            T inverse = T.One / sum;
            for (int c = 0; c < p.Length; c++)
            {
                p[c] *= inverse;
            }
        }
    }

    private static void LogSoftmaxRows<T>(Matrix<T> logits, Matrix<T> logProbabilities, int from, int to)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = from; r < to; r++)
        {
            Span<T> z = logits.Row(r);
            Span<T> l = logProbabilities.Row(r);
            T max = Max(z);
            // The sum of exps is accumulated in double: it decides the log of every entry of the row.
            double sum = 0;
            foreach (T v in z)
            {
                sum += Math.Exp(double.CreateTruncating(v - max));
            }
            T logSum = T.CreateTruncating(Math.Log(sum));
            for (int c = 0; c < z.Length; c++)
            {
                l[c] = z[c] - max - logSum;
            }
        }
    }

    /// <summary>max over z: −∞ when empty, NaN when z holds a NaN.</summary>
    private static T Max<T>(ReadOnlySpan<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = T.NegativeInfinity;
        foreach (T v in z)
        {
            max = T.Max(max, v);
        }
        return max;
    }

    /// <summary>Rows in chunks over the threads: each row is computed as on one thread, so the results are the same for
    /// any thread count. Worth it from about a thousand entries: the exps, not the memory, are the cost (a batch of 128
    /// ten-class rows took 0.026 ms on one thread).</summary>
    private sealed class RowJob<T> : ChunkJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private const int ParallelLength = 1024;
        private const int RowsPerChunk = 16;

        [ThreadStatic]
        private static RowJob<T>[]? pool;
        private Matrix<T>? input,
            output;
        private bool log;

        internal static void Run(Matrix<T> input, Matrix<T> output, bool log)
        {
            RowJob<T>? job = input.Length >= ParallelLength && input.Rows > RowsPerChunk && Parallelism.Threads > 1 ? Rent(ref pool) : null;
            if (job is null)
            {
                Compute(input, output, log, 0, input.Rows);
                return;
            }
            (job.input, job.output, job.log) = (input, output, log);
            job.Run((input.Rows + RowsPerChunk - 1) / RowsPerChunk, Parallelism.Threads - 1);
            (job.input, job.output) = (null, null); // hold no matrices after the call
        }

        protected override void RunChunk(int chunk, int participant)
        {
            int from = chunk * RowsPerChunk;
            Compute(input!, output!, log, from, Math.Min(input!.Rows, from + RowsPerChunk));
        }

        private static void Compute(Matrix<T> input, Matrix<T> output, bool log, int from, int to)
        {
            if (log)
            {
                LogSoftmaxRows(input, output, from, to);
            }
            else
            {
                SoftmaxRows(input, output, from, to);
            }
        }
    }
}

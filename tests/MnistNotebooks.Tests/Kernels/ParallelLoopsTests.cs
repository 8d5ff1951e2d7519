using System.Numerics;
using MnistNotebooks.Kernels;
using MnistNotebooks.Layers;
using MnistNotebooks.Optimizers;

namespace MnistNotebooks.Tests.Kernels;

/// <summary>The element-wise loops, the optimizers' updates and the batch gather split long arrays over threads: the
/// results must be bit-identical to one thread's, and every chunk must be done exactly once.</summary>
[Collection(ParallelismCollection.Name)]
public sealed class ParallelLoopsTests
{
    // Below each split (Map's and Update's), at it, and above it with a last chunk that is neither whole nor a multiple
    // of any vector width.
    public static readonly TheoryData<int> Lengths = new()
    {
        VectorLoops.MapParallelLength - 1,
        VectorLoops.MapParallelLength,
        VectorLoops.MapParallelLength + 5637,
        VectorLoops.ParallelLength - 1,
        VectorLoops.ParallelLength,
        3 * VectorLoops.ParallelLength + 37,
    };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ElementWiseOperationsGiveTheSameBitsOnOneAndTwoThreads(int n)
    {
        Same<float>(n, (x, y) => ElementWise.Tanh<float>(x, y));
        Same<float>(n, (x, y) => ElementWise.Sigmoid<float>(x, y));
        Same<float>(n, (x, y) => ElementWise.Relu<float>(x, y));
        Same<float>(n, (x, y) => ElementWise.ReluBackward<float>(x, KernelTestData.RandomArray(x.Length, 9), y));
        Same<double>(n, (x, y) => ElementWise.Tanh<double>(x, y));
        Same<double>(n, (x, y) => ElementWise.Multiply<double>(x, x, y));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void TanhInPlaceOnTwoThreadsEqualsTheReference(int n)
    {
        float[] x = KernelTestData.RandomArray(n, 3, 4f);
        float[] expected = new float[n];
        ElementWise.TanhReference<float>(x, expected);
        ThreadLimit.Run(2, () => ElementWise.Tanh<float>(x, x));
        for (int i = 0; i < n; i++)
        {
            Assert.True(MathF.Abs(x[i] - expected[i]) <= 2e-6f * MathF.Max(1, MathF.Abs(expected[i])), $"element {i} of {n}");
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AdamStepsGiveTheSameBitsOnOneAndTwoThreads(int n)
    {
        float[] one = Train(n, 1, p => new Adam(p, 1e-2));
        float[] two = Train(n, 2, p => new Adam(p, 1e-2));
        Assert.Equal(one, two);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SgdWithoutStateOnTwoThreadsUpdatesEveryElementOnceByHand(int n)
    {
        var p = new Dense<float>(new Matrix<float>(1, n, KernelTestData.RandomArray(n, 1))).Weights;
        float[] w0 = [.. p.Value.Data];
        KernelTestData.RandomArray(n, 2).CopyTo(p.Gradient.Data, 0);
        ThreadLimit.Run(2, () => new Sgd<float>([p], 0.5).Step());
        for (int i = 0; i < n; i++)
        {
            Assert.True(w0[i] - (0.5f * p.Gradient.Data[i]) == p.Value.Data[i], $"element {i} of {n}");
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(128)]
    [InlineData(1000)]
    public void GatheredRowsOnTwoThreadsAreTheRowsInOrder(int rows)
    {
        Matrix<float> source = KernelTestData.Random(2000, 784, 4);
        int[] order = new MnistNotebooks.Randomness.RandomState(5).Permutation(2000);
        var batch = new Matrix<float>(rows, 784);
        ThreadLimit.Run(2, () => RowGather.Gather(source, order, 500, batch));
        for (int r = 0; r < rows; r++)
        {
            Assert.Equal(source.Data.AsSpan(order[500 + r] * 784, 784).ToArray(), batch.Data.AsSpan(r * 784, 784).ToArray());
        }
    }

    /// <summary>Softmax and log-softmax split a long batch by rows: the same bits as one thread, also in place, for
    /// batches below the split, at a whole number of chunks and with a partial last chunk.</summary>
    [Theory]
    [InlineData(16, 10)]
    [InlineData(128, 10)]
    [InlineData(1001, 7)]
    public void SoftmaxRowsOnTwoThreadsGiveOneThreadsBits(int rows, int classes)
    {
        Matrix<float> z = KernelTestData.Random(rows, classes, 6);
        for (int i = 0; i < z.Length; i += 13)
        {
            z.Data[i] *= 1e3f; // rows whose maximum dominates, as trained logits do
        }
        foreach (bool log in new[] { false, true })
        {
            Matrix<float> one = new(rows, classes),
                two = new(rows, classes),
                inPlace = z.Clone();
            void Apply(Matrix<float> input, Matrix<float> output)
            {
                if (log)
                {
                    Softmax.LogRows(input, output);
                }
                else
                {
                    Softmax.Rows(input, output);
                }
            }
            ThreadLimit.Run(1, () => Apply(z, one));
            ThreadLimit.Run(2, () => Apply(z, two));
            ThreadLimit.Run(2, () => Apply(inPlace, inPlace));
            Assert.Equal(one.Data, two.Data);
            Assert.Equal(one.Data, inPlace.Data);
            Assert.All(one.Data, v => Assert.True(float.IsFinite(v)));
        }
    }

    [Fact]
    public void AChunkJobRunsEveryChunkExactlyOnceWhenReusedManyTimes()
    {
        var job = new CountingJob();
        for (int round = 0; round < 500; round++)
        {
            int chunks = 1 + (round % 97);
            job.Counts = new int[chunks];
            job.Run(chunks, helpers: 1);
            Assert.All(job.Counts, c => Assert.Equal(1, c));
        }
        Assert.Equal(0, job.WrongParticipant); // 0 exactly on the calling thread: the GEMM picks its buffers by it
    }

    private sealed class CountingJob : ChunkJob
    {
        private readonly int caller = Environment.CurrentManagedThreadId;
        public int[] Counts = [];
        public int WrongParticipant;

        protected override void RunChunk(int chunk, int participant)
        {
            Interlocked.Increment(ref Counts[chunk]);
            if ((participant == 0) != (Environment.CurrentManagedThreadId == caller) || participant < 0)
            {
                Interlocked.Increment(ref WrongParticipant);
            }
        }
    }

    private static float[] Train(int n, int threads, Func<IReadOnlyList<Parameter<float>>, Optimizer<float>> make)
    {
        var p = new Dense<float>(new Matrix<float>(1, n, KernelTestData.RandomArray(n, 1))).Weights;
        Optimizer<float> optimizer = make([p]);
        for (int step = 0; step < 3; step++)
        {
            KernelTestData.RandomArray(n, 10 + step).CopyTo(p.Gradient.Data, 0);
            ThreadLimit.Run(threads, optimizer.Step);
        }
        return p.Value.Data;
    }

    private static void Same<T>(int n, Action<T[], T[]> op)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = KernelTestData.RandomArray<T>(n, 7, 6);
        T[] one = new T[n],
            two = new T[n];
        ThreadLimit.Run(1, () => op(x, one));
        ThreadLimit.Run(2, () => op(x, two));
        Assert.Equal(one, two);
    }
}

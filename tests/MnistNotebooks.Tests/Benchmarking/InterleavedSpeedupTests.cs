using Benchmarks;
using MnistNotebooks.Kernels;
using MnistNotebooks.Tests.Kernels;

namespace MnistNotebooks.Tests.Benchmarking;

/// <summary>The benchmark's interleaved speed-up: one Trainer run whose thread count switches every few steps gives a
/// mean step time at each count, and leaves the thread limit as it found it.</summary>
[Collection(ParallelismCollection.Name)]
public sealed class InterleavedSpeedupTests
{
    [Fact]
    public void BothThreadCountsGetTimedSteps()
    {
        var rng = new Random(4);
        var x = new Matrix<float>(512, 20);
        for (int i = 0; i < x.Length; i++)
        {
            x.Data[i] = (float)rng.NextDouble();
        }
        int[] y = [.. Enumerable.Range(0, 512).Select(i => i % 3)];

        (double low, double high) = TrainingBenchmark.InterleavedStepMilliseconds(
            [20, 8, 3],
            (1, 2),
            x,
            y,
            timedEpochs: 2,
            block: 2,
            settle: 0
        );

        Assert.True(double.IsFinite(low) && low > 0, $"{low} ms at 1 thread");
        Assert.True(double.IsFinite(high) && high > 0, $"{high} ms at 2 threads");
        Assert.Equal(Environment.ProcessorCount, Parallelism.MaxThreads);
    }
}

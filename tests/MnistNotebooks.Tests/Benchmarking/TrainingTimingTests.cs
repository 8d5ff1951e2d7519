using Benchmarks;
using MnistNotebooks.Kernels;
using MnistNotebooks.Tests.Kernels;

namespace MnistNotebooks.Tests.Benchmarking;

/// <summary>The benchmark's timings of training on a tiny network: the step profile (every phase of the Trainer's step,
/// in its order, timed in the step and run again, at each thread count asked for) and the interleaved speed-up (one
/// Trainer run whose thread count switches every few steps gives a mean step time at each count, and sets the thread
/// limit back to every core, as the other benchmarks do).</summary>
[Collection(ParallelismCollection.Name)]
public sealed class TrainingTimingTests
{
    [Fact]
    public void EveryPhaseIsTimedInTheStepAndAgain()
    {
        Matrix<float> x = KernelTestData.Random(256, 20, 3);
        int[] y = [.. Enumerable.Range(0, 256).Select(i => i % 3)];

        (List<StepProfile.Phase> phases, List<StepProfile.StartDelay> delays) = StepProfile.Run(
            [20, 8, 3],
            [1, 2],
            x,
            y,
            warmup: 2,
            steps: 6
        );

        string[] expected =
        [
            "gather the batch",
            "zero the gradients",
            "forward 0: Dense 20→8",
            "forward 1: Relu",
            "forward 2: Dense 8→3",
            "loss forward (softmax, log)",
            "loss backward (P − onehot)/n",
            "backward 2: Dense 8→3",
            "backward 1: Relu",
            "backward 0: Dense 20→8",
            "Adam step",
        ];
        Assert.Equal(expected, phases.Select(p => p.Name));
        Assert.All(phases, p => Assert.Equal(2, p.MillisecondsPerStep.Length));
        Assert.All(phases, p => Assert.Equal(2, p.MillisecondsAgain.Length));
        Assert.All(
            phases.SelectMany(p => p.MillisecondsPerStep.Concat(p.MillisecondsAgain)),
            ms => Assert.True(double.IsFinite(ms) && ms >= 0, $"{ms} ms")
        );
        Assert.True(phases.Single(p => p.Name == "forward 0: Dense 20→8").MillisecondsPerStep.All(ms => ms > 0));
        StepProfile.StartDelay delay = Assert.Single(delays);
        Assert.Equal((2, 3), (delay.Threads, delay.Probes)); // one probe per step timed as it is: 3 of the 6
    }

    [Fact]
    public void BothThreadCountsGetTimedSteps()
    {
        Matrix<float> x = KernelTestData.Random(512, 20, 4);
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

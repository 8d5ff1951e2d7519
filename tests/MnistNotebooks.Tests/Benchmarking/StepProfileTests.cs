using Benchmarks;
using MnistNotebooks.Tests.Kernels;

namespace MnistNotebooks.Tests.Benchmarking;

/// <summary>The step profile on a tiny network: every phase of the Trainer's step, in its order, timed in the step and
/// run again, at each thread count asked for.</summary>
[Collection(ParallelismCollection.Name)]
public sealed class StepProfileTests
{
    [Fact]
    public void EveryPhaseIsTimedInTheStepAndAgain()
    {
        var rng = new Random(3);
        var x = new Matrix<float>(256, 20);
        for (int i = 0; i < x.Length; i++)
        {
            x.Data[i] = (float)rng.NextDouble();
        }
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
}

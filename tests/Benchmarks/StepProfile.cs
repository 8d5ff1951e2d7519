using System.Diagnostics;
using System.Globalization;
using MnistNotebooks;
using MnistNotebooks.Kernels;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Optimizers;

namespace Benchmarks;

/// <summary>Where one training step's time goes: the Trainer's step (gather → zero → forward → loss → backward →
/// Adam) taken apart, each phase timed with Stopwatch ticks over many steps, at each thread count. A phase that
/// runs on one thread shows a 2-thread time equal to its 1-thread time.</summary>
internal static class StepProfile
{
    /// <summary>A phase's mean ms in the step and when run again right after itself, per thread count.</summary>
    public sealed record Phase(string Name, double[] MillisecondsPerStep, double[] MillisecondsAgain);

    /// <summary>How long a posted chunk waited for a worker to start it, probed once between steps (the worker had
    /// finished its last chunk of the step a few microseconds before); <see cref="Missed"/> counts probes in which no
    /// worker came within 2 ms.</summary>
    public sealed record StartDelay(
        int Threads,
        int Probes,
        double MedianMicroseconds,
        double P90Microseconds,
        double MaxMicroseconds,
        int Missed
    );

    /// <summary>The default steps before recording (the runtime's optimised code in place) and recorded.</summary>
    public const int Warmup = 300,
        Steps = 400;

    /// <summary>Times <paramref name="steps"/> steps (after <paramref name="warmup"/>) of the benchmark's network
    /// <paramref name="sizes"/> at each of <paramref name="threads"/>; rows shuffled with a fixed seed. Also returns
    /// the start delays measured at each thread count above 1.</summary>
    public static (List<Phase> Phases, List<StartDelay> StartDelays) Run(
        int[] sizes,
        int[] threads,
        Matrix<float> trainX,
        int[] trainY,
        int warmup = Warmup,
        int steps = Steps
    )
    {
        var byThreads = new List<(string[] Names, double[] InStep, double[] Again)>();
        var startDelays = new List<StartDelay>();
        // A first pass, not recorded: the runtime swaps in optimised code for the step's loops only after some hundreds
        // of steps, and without this the first thread count is timed partly in unoptimised code (seen: Adam 0.21 ms a
        // step on one thread against 0.056 with DOTNET_TieredCompilation=0, and ReLU 0.020 against 0.003).
        Parallelism.MaxThreads = threads[0];
        Once(sizes, trainX, trainY, warmup, steps, null);
        foreach (int t in threads)
        {
            Parallelism.MaxThreads = t;
            var delays = new List<double>();
            byThreads.Add(Once(sizes, trainX, trainY, warmup, steps, t > 1 ? delays : null));
            if (t > 1)
            {
                double[] hit = [.. delays.Where(d => d >= 0).Order()];
                double At(double q) => hit.Length == 0 ? double.NaN : hit[(int)Math.Min(hit.Length - 1, q * hit.Length)];
                startDelays.Add(
                    new StartDelay(t, delays.Count, At(0.5), At(0.9), hit.Length == 0 ? double.NaN : hit[^1], delays.Count - hit.Length)
                );
            }
        }
        Parallelism.MaxThreads = Environment.ProcessorCount;
        return (
            byThreads[0]
                .Names.Select((n, i) => new Phase(n, [.. byThreads.Select(d => d.InStep[i])], [.. byThreads.Select(d => d.Again[i])]))
                .ToList(),
            startDelays
        );
    }

    /// <summary>One profiled run: each phase's mean time in the step (ms), and its mean time when run a second time
    /// right after itself, on the same operands (its data then hot in cache). Recorded steps alternate: the even ones
    /// are timed as they are, the odd ones run each phase twice and time the second run, so that both figures are
    /// sampled over the same stretch of time and a busy moment of a shared machine moves both.</summary>
    private static (string[] Names, double[] InStep, double[] Again) Once(
        int[] sizes,
        Matrix<float> x,
        int[] y,
        int warmup,
        int steps,
        List<double>? startDelays
    )
    {
        Sequential model = TrainingBenchmark.Model(sizes);
        IReadOnlyList<Layer<float>> layers = model.Layers;
        var optimizer = new Adam(model.Parameters, 1e-3);
        var loss = new SoftmaxCrossEntropy();
        int[] order = new MnistNotebooks.Randomness.RandomState(1).Permutation(x.Rows);
        const int batch = 128;
        var xb = new Matrix<float>(batch, x.Cols);
        int[] yb = new int[batch];
        int perEpoch = x.Rows / batch,
            b = 0;
        // inputs[i] is layer i's input, gradients[i] the gradient at its output: each phase reads what the one before
        // wrote, so that a phase run again sees the same operands.
        var inputs = new Matrix<float>[layers.Count + 1];
        var gradients = new Matrix<float>?[layers.Count + 1];
        inputs[0] = xb;
        var phases = new List<(string Name, Action Run, Action? BeforeAgain)>
        {
            (
                "gather the batch",
                () =>
                {
                    RowGather.Gather(x, order, b * batch, xb);
                    for (int r = 0; r < batch; r++)
                    {
                        yb[r] = y[order[(b * batch) + r]];
                    }
                },
                null
            ),
            ("zero the gradients", model.ZeroGradients, null),
        };
        for (int i = 0; i < layers.Count; i++)
        {
            int l = i;
            phases.Add(($"forward {l}: {Describe(layers[l])}", () => inputs[l + 1] = layers[l].Forward(inputs[l]), null));
        }
        phases.Add(("loss forward (softmax, log)", () => loss.Forward(inputs[^1], yb), null));
        phases.Add(("loss backward (P − onehot)/n", () => gradients[^1] = loss.Backward(), null));
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            int l = i;
            Action backward =
                l == 0 && layers[0] is Dense<float> first
                    ? () => first.BackwardParametersOnly(gradients[1]!)
                    : () => gradients[l] = layers[l].Backward(gradients[l + 1]!);
            // Zeroed again (lazily: untimed), the second run overwrites the layer's gradients as the first did rather
            // than adding to them: the same work, and the same gradients for Adam.
            phases.Add(($"backward {l}: {Describe(layers[l])}", backward, layers[l].ZeroGradients));
        }
        phases.Add(("Adam step", optimizer.Step, null));

        long[] inStep = new long[phases.Count],
            again = new long[phases.Count];
        for (int s = 0; s < warmup + steps; s++)
        {
            b = s % perEpoch;
            bool record = s >= warmup,
                twice = record && (s - warmup) % 2 == 1;
            for (int i = 0; i < phases.Count; i++)
            {
                long start = Stopwatch.GetTimestamp();
                phases[i].Run();
                long end = Stopwatch.GetTimestamp();
                if (twice)
                {
                    phases[i].BeforeAgain?.Invoke();
                    start = Stopwatch.GetTimestamp();
                    phases[i].Run();
                    again[i] += Stopwatch.GetTimestamp() - start;
                }
                else if (record)
                {
                    inStep[i] += end - start;
                }
            }
            if (record && !twice && startDelays is not null)
            {
                startDelays.Add(StartProbe.Measure()); // between steps: outside every phase's time
            }
        }
        double msPerTick = 1000.0 / Stopwatch.Frequency;
        int timed = (steps + 1) / 2,
            timedAgain = steps / 2;
        return (
            [.. phases.Select(p => p.Name)],
            [.. inStep.Select(t => t * msPerTick / timed)],
            [.. again.Select(t => t * msPerTick / timedAgain)]
        );
    }

    private static string Describe(Layer<float> layer) =>
        layer is Dense<float> d ? string.Create(CultureInfo.InvariantCulture, $"Dense {d.Inputs}→{d.Outputs}") : layer.GetType().Name;

    /// <summary>A two-chunk job whose caller chunk waits (up to 2 ms) for a worker to start the other chunk.</summary>
    private sealed class StartProbe : ChunkJob
    {
        [ThreadStatic]
        private static StartProbe[]? pool;
        private long posted,
            started;

        /// <summary>Microseconds from posting the job to a worker starting its chunk; −1 when none came within 2 ms.</summary>
        internal static double Measure()
        {
            StartProbe? job = Rent(ref pool);
            if (job is null)
            {
                return -1;
            }
            job.started = 0;
            job.posted = Stopwatch.GetTimestamp();
            job.Run(2, 1);
            return job.started == 0 ? -1 : (job.started - job.posted) * 1e6 / Stopwatch.Frequency;
        }

        protected override void RunChunk(int chunk, int participant)
        {
            if (participant != 0)
            {
                Volatile.Write(ref started, Stopwatch.GetTimestamp());
                return;
            }
            long until = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 500);
            while (chunk == 0 && Volatile.Read(ref started) == 0 && Stopwatch.GetTimestamp() < until)
            {
                Thread.SpinWait(1);
            }
        }
    }
}

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
    public sealed record Phase(string Name, double[] MillisecondsPerStep);

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

    /// <summary>Times <paramref name="steps"/> steps (after <paramref name="warmup"/>) of the benchmark's network
    /// <paramref name="sizes"/> at each of <paramref name="threads"/>; rows shuffled with a fixed seed. Also returns
    /// the start delays measured at each thread count above 1.</summary>
    public static (List<Phase> Phases, List<StartDelay> StartDelays) Run(
        int[] sizes,
        int[] threads,
        Matrix<float> trainX,
        int[] trainY,
        int warmup = 300,
        int steps = 400
    )
    {
        var byThreads = new List<Dictionary<string, double>>();
        var names = new List<string>();
        var startDelays = new List<StartDelay>();
        // A first pass, not recorded: the runtime swaps in optimised code for the step's loops only after some hundreds
        // of steps, and without this the first thread count is timed partly in unoptimised code (seen: Adam 0.21 ms a
        // step on one thread against 0.056 with DOTNET_TieredCompilation=0, and ReLU 0.020 against 0.003).
        Parallelism.MaxThreads = threads[0];
        Once(sizes, trainX, trainY, warmup, steps, [], null);
        foreach (int t in threads)
        {
            Parallelism.MaxThreads = t;
            var delays = new List<double>();
            byThreads.Add(Once(sizes, trainX, trainY, warmup, steps, names, t > 1 ? delays : null));
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
        return (names.Select(n => new Phase(n, byThreads.Select(d => d[n]).ToArray())).ToList(), startDelays);
    }

    private static Dictionary<string, double> Once(
        int[] sizes,
        Matrix<float> x,
        int[] y,
        int warmup,
        int steps,
        List<string> names,
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
        var ticks = new Dictionary<string, long>();
        long mark = 0;
        void Lap(string name, bool record)
        {
            long now = Stopwatch.GetTimestamp();
            if (record)
            {
                if (!ticks.ContainsKey(name))
                {
                    ticks[name] = 0;
                    if (!names.Contains(name))
                    {
                        names.Add(name);
                    }
                }
                ticks[name] += now - mark;
            }
            mark = now;
        }
        int perEpoch = x.Rows / batch;
        for (int s = 0; s < warmup + steps; s++)
        {
            bool record = s >= warmup;
            int b = s % perEpoch;
            mark = Stopwatch.GetTimestamp();
            RowGather.Gather(x, order, b * batch, xb);
            for (int r = 0; r < batch; r++)
            {
                yb[r] = y[order[(b * batch) + r]];
            }
            Lap("gather the batch", record);
            model.ZeroGradients();
            Lap("zero the gradients", record);
            Matrix<float> h = xb;
            for (int i = 0; i < layers.Count; i++)
            {
                h = layers[i].Forward(h);
                Lap($"forward {i}: {Describe(layers[i])}", record);
            }
            loss.Forward(h, yb);
            Lap("loss forward (softmax, log)", record);
            Matrix<float>? g = loss.Backward();
            Lap("loss backward (P − onehot)/n", record);
            for (int i = layers.Count - 1; i >= 0; i--)
            {
                if (i == 0 && layers[0] is Dense<float> first)
                {
                    first.BackwardParametersOnly(g!);
                }
                else
                {
                    g = layers[i].Backward(g!);
                }
                Lap($"backward {i}: {Describe(layers[i])}", record);
            }
            optimizer.Step();
            Lap("Adam step", record);
            if (record && startDelays is not null)
            {
                startDelays.Add(StartProbe.Measure()); // between steps: outside every phase's time
            }
        }
        double msPerTick = 1000.0 / Stopwatch.Frequency;
        return ticks.ToDictionary(kv => kv.Key, kv => kv.Value * msPerTick / steps);
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

using System.Diagnostics;
using MnistNotebooks;
using MnistNotebooks.Initialization;
using MnistNotebooks.Kernels;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Optimizers;
using MnistNotebooks.Training;

namespace Benchmarks;

/// <summary>The result of one training benchmark: seconds per epoch (median after the warm-up epoch), test accuracy
/// and bytes allocated per step after the first (all threads and this thread).</summary>
internal sealed record TrainingResult(
    double SecondsPerEpoch,
    double[] Epochs,
    double TestAccuracy,
    double BytesPerStep,
    double ThreadBytesPerStep,
    double ForeignCores
);

/// <summary>Trains an MLP on full MNIST as the peers do: ReLU, He init, zero bias, softmax cross-entropy, Adam lr 1e-3,
/// batch 128, inputs /255, reshuffled every epoch. Gradient-norm and update-ratio tracking are off (the peers have none).</summary>
internal static class TrainingBenchmark
{
    public static readonly int[] Small = [784, 300, 10];
    public static readonly int[] Deep = [784, 512, 256, 128, 64, 10];

    /// <summary>The benchmark's network: Dense layers of <paramref name="sizes"/> with ReLU between, He init and zero
    /// biases drawn from RandomState(0).</summary>
    public static Sequential Model(int[] sizes)
    {
        var rng = new MnistNotebooks.Randomness.RandomState(0);
        var layers = new List<Layer<float>>();
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            layers.Add(new Dense(sizes[i], sizes[i + 1], rng, new He()));
            if (i + 2 < sizes.Length)
            {
                layers.Add(new Relu());
            }
        }
        return new Sequential([.. layers]);
    }

    /// <summary>The multiply-adds of one epoch over <paramref name="rows"/> images, as flops: per layer X·W forward and
    /// Xᵀ·dY backward, and dY·Wᵀ for every layer but the first (whose dX nobody reads).</summary>
    public static double EpochFlops(int[] sizes, int rows)
    {
        double macs = 0;
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            macs += (i == 0 ? 2.0 : 3.0) * sizes[i] * sizes[i + 1];
        }
        return 2 * macs * rows;
    }

    public static TrainingResult Run(
        int[] sizes,
        int threads,
        int timedEpochs,
        Matrix<float> trainX,
        int[] trainY,
        Matrix<float> testX,
        int[] testY
    )
    {
        Parallelism.MaxThreads = threads;
        Sequential model = Model(sizes);
        var allocations = new AllocationProbe(trainX.Rows, 128);
        Trainer trainer = NewTrainer(model, timedEpochs);
        trainer.Observers.Add(allocations);
        var load = new ForeignLoad();
        load.Start();
        History history = trainer.Fit(trainX, trainY);
        double foreign = load.Stop();
        double[] epochs = history.Epochs.Skip(1).Select(e => e.WallTime.TotalSeconds).ToArray();
        double accuracy = trainer.Evaluate(testX, testY).Accuracy;
        return new TrainingResult(
            Stats.Median(epochs),
            epochs,
            accuracy,
            allocations.BytesPerStep,
            allocations.ThreadBytesPerStep,
            foreign
        );
    }

    /// <summary>The peers' training set-up for <paramref name="model"/>: a warm-up epoch and
    /// <paramref name="timedEpochs"/> more, batch 128, Adam lr 1e-3, no tracking.</summary>
    private static Trainer NewTrainer(Sequential model, int timedEpochs) =>
        new(
            model,
            new SoftmaxCrossEntropy(),
            new Adam(model.Parameters, 1e-3),
            new TrainerOptions
            {
                Epochs = timedEpochs + 1,
                BatchSize = 128,
                Seed = 0,
                TrackGradientNorms = false,
                TrackUpdateRatios = false,
            }
        );

    /// <summary>The interleaved run's defaults: timed epochs after the warm-up, steps between thread-count switches, and
    /// steps left out after each switch or epoch start.</summary>
    public const int InterleavedEpochs = 2,
        SwitchEvery = 25,
        SettleSteps = 2;

    /// <summary>Mean ms per step of the Trainer at <paramref name="threads"/>.Low and .High, from one run whose thread
    /// count switches every <paramref name="block"/> steps (the weights do not depend on it). On a shared machine whose
    /// speed drifts over seconds, runs at one thread count and then the other each meet a different machine; steps
    /// interleaved this finely meet the same one. The first epoch (the runtime still optimising) and the first
    /// <paramref name="settle"/> steps after each switch and each epoch's start are left out.</summary>
    public static (double Low, double High) InterleavedStepMilliseconds(
        int[] sizes,
        (int Low, int High) threads,
        Matrix<float> trainX,
        int[] trainY,
        int timedEpochs = InterleavedEpochs,
        int block = SwitchEvery,
        int settle = SettleSteps
    )
    {
        Sequential model = Model(sizes);
        Trainer trainer = NewTrainer(model, timedEpochs);
        var clock = new AlternatingThreads(threads, block, settle);
        trainer.Observers.Add(clock);
        Parallelism.MaxThreads = threads.Low;
        try
        {
            trainer.Fit(trainX, trainY);
        }
        finally
        {
            Parallelism.MaxThreads = Environment.ProcessorCount;
        }
        return (clock.MeanMilliseconds(0), clock.MeanMilliseconds(1));
    }

    /// <summary>Times each step from the end of the one before and switches the thread count every block of steps.</summary>
    private sealed class AlternatingThreads((int Low, int High) threads, int block, int settle) : ITrainingObserver<float>
    {
        private readonly double[] sums = new double[2];
        private readonly int[] counts = new int[2];
        private long last;
        private int current,
            inBlock;

        public double MeanMilliseconds(int which) => counts[which] == 0 ? double.NaN : sums[which] / counts[which];

        public bool OnStep(TrainingStep<float> state)
        {
            long now = Stopwatch.GetTimestamp();
            // This step ran at `current`'s thread count, set at the end of the one before; it counts once the caches
            // and the workers have settled after a switch, and never across an epoch's end (shuffle, records).
            if (state.Epoch > 1 && state.Step > Math.Max(settle, 1) && inBlock >= settle)
            {
                sums[current] += (now - last) * 1000.0 / Stopwatch.Frequency;
                counts[current]++;
            }
            if (++inBlock == block)
            {
                (current, inBlock) = (1 - current, 0);
                Parallelism.MaxThreads = current == 0 ? threads.Low : threads.High;
            }
            last = Stopwatch.GetTimestamp();
            return false;
        }
    }

    /// <summary>Reads the allocation counters after step 1 and after the last full step of epoch 2 (the partial last
    /// batch and the first step are excluded: they allocate their buffers once).</summary>
    private sealed class AllocationProbe(int trainingCount, int batchSize) : ITrainingObserver<float>
    {
        private long total0,
            thread0,
            step0;

        public double BytesPerStep { get; private set; } = double.NaN;

        public double ThreadBytesPerStep { get; private set; } = double.NaN;

        public bool OnStep(TrainingStep<float> state)
        {
            if (state.Epoch != 2)
            {
                return false;
            }
            int last = (trainingCount / batchSize) - 1; // the last full batch but one
            if (state.Step == 1)
            {
                (total0, thread0, step0) = (GC.GetTotalAllocatedBytes(precise: true), GC.GetAllocatedBytesForCurrentThread(), state.Step);
            }
            else if (state.Step == last)
            {
                long steps = state.Step - step0;
                BytesPerStep = (double)(GC.GetTotalAllocatedBytes(precise: true) - total0) / steps;
                ThreadBytesPerStep = (double)(GC.GetAllocatedBytesForCurrentThread() - thread0) / steps;
            }
            return false;
        }
    }
}

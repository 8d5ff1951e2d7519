using MnistNotebooks.Initialization;
using MnistNotebooks.Kernels;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Optimizers;
using MnistNotebooks.Randomness;
using MnistNotebooks.Tests.Kernels;
using MnistNotebooks.Training;

namespace MnistNotebooks.Tests.Training;

/// <summary>A training step with the real Dense, Relu, SoftmaxCrossEntropy and Adam allocates nothing once the
/// first step has created its buffers (a count of bytes, not a timing).</summary>
[Collection(ParallelismCollection.Name)]
public sealed class AllocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TrainingStepAllocatesNothingAfterTheFirst(int threads)
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = threads;
            var rng = new RandomState(5);
            // The 784-300-10 shapes at batch 128: big enough for the GEMM to split across threads.
            var x = new Matrix<float>(128 * 12, 784);
            for (int i = 0; i < x.Length; i++)
            {
                x.Data[i] = (float)rng.RandomSample();
            }
            int[] y = [.. rng.Randint(0, 10, x.Rows).Select(v => (int)v)];
            var model = new Sequential(new Dense(784, 300, rng, new He()), new Relu(), new Dense(300, 10, rng, new He()));
            var probe = new Probe();
            var trainer = new Trainer(
                model,
                new SoftmaxCrossEntropy(),
                new Adam(model.Parameters, 1e-3),
                new TrainerOptions
                {
                    Epochs = 2,
                    BatchSize = 128,
                    Seed = 1,
                }
            );
            trainer.Observers.Add(probe);

            trainer.Fit(x, y);

            Assert.Equal(10, probe.Steps);
            Assert.Equal(0, probe.Bytes);
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    /// <summary>Bytes allocated on the training thread between the end of step 1 and the end of step 11 of epoch 2.</summary>
    private sealed class Probe : ITrainingObserver<float>
    {
        private long start;

        public long Bytes { get; private set; } = -1;

        public int Steps { get; private set; }

        public bool OnStep(TrainingStep<float> state)
        {
            if (state.Epoch != 2)
            {
                return false;
            }
            if (state.Step == 1)
            {
                start = GC.GetAllocatedBytesForCurrentThread();
            }
            else if (state.Step == 11)
            {
                Bytes = GC.GetAllocatedBytesForCurrentThread() - start;
                Steps = state.Step - 1;
            }
            return false;
        }
    }
}

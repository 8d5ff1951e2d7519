using MnistNotebooks.Data;
using MnistNotebooks.Kernels;
using MnistNotebooks.Layers;
using MnistNotebooks.Randomness;
using MnistNotebooks.Tests.Kernels;
using MnistNotebooks.Training;

namespace MnistNotebooks.Tests.Training;

/// <summary><see cref="TrainerOptions.Augment"/> and <see cref="TrainerOptions.LearningRateDecay"/>: what each epoch
/// trains on and at which rate, against the augmentation applied by hand and rates computed by hand.</summary>
[Collection(ParallelismCollection.Name)]
public sealed class TrainerScheduleTests
{
    private static readonly AugmentOptions Distort = new()
    {
        MaxRotationDegrees = 15,
        MaxScale = 0.1,
        MaxShift = 2,
        ElasticAlpha = 8,
        ElasticSigma = 3,
    };

    /// <summary>n random 28 × 28 images (pixels in [0, 1) inside a centred 16 × 16 square) with labels i mod 2.</summary>
    private static (Matrix<float> X, int[] Labels) Images(int n)
    {
        var rng = new RandomState(4);
        var x = new Matrix<float>(n, 784);
        for (int i = 0; i < n; i++)
        {
            for (int r = 6; r < 22; r++)
            {
                for (int c = 6; c < 22; c++)
                {
                    x[i, r * 28 + c] = (float)rng.RandomSample();
                }
            }
        }
        return (x, [.. Enumerable.Range(0, n).Select(i => i % 2)]);
    }

    private static (Sequential Model, Trainer Trainer, Recorder Recorder) Make(TrainerOptions options)
    {
        var rng = new RandomState(9);
        var model = new Sequential(new TestLinear("dense1", 784, 2, rng, 0.05f));
        var optimizer = new TestSgd(model.Parameters, 0.5f);
        var trainer = new Trainer(model, new TestSoftmaxCrossEntropy(), optimizer, options);
        var recorder = new Recorder(optimizer);
        trainer.Observers.Add(recorder);
        return (model, trainer, recorder);
    }

    private static float[] Weights(Sequential model) => [.. model.Parameters.SelectMany(p => p.Value.Data)];

    private static string[] SortedRows(IEnumerable<(float[] Row, int Label)> rows) =>
        [.. rows.Select(r => r.Label + ":" + string.Join(",", r.Row.Select(v => BitConverter.SingleToInt32Bits(v)))).Order()];

    [Fact]
    public void EachEpochTrainsOnTheTrainingSetAugmentedWithItsOwnSeed()
    {
        (Matrix<float> x, int[] y) = Images(40);
        var options = new TrainerOptions
        {
            Epochs = 3,
            BatchSize = 16,
            Seed = 5,
            Augment = Distort,
        };
        (_, Trainer trainer, Recorder recorder) = Make(options);

        trainer.Fit(x, y);

        for (int epoch = 1; epoch <= 3; epoch++)
        {
            Matrix<float> expected = Augmentation.Apply(x, Distort, 5 * 7_919 + epoch);
            var byHand = Enumerable.Range(0, x.Rows).Select(i => (expected.Row(i).ToArray(), y[i]));
            Assert.Equal(SortedRows(byHand), SortedRows(recorder.Rows.Where(r => r.Epoch == epoch).Select(r => (r.Row, r.Label))));
        }
        Assert.NotEqual(
            SortedRows(recorder.Rows.Where(r => r.Epoch == 1).Select(r => (r.Row, r.Label))),
            SortedRows(recorder.Rows.Where(r => r.Epoch == 2).Select(r => (r.Row, r.Label)))
        );
    }

    [Fact]
    public void OneAugmentedEpochEqualsAnEpochOnTheAugmentedImages()
    {
        (Matrix<float> x, int[] y) = Images(40);
        var options = new TrainerOptions
        {
            Epochs = 1,
            BatchSize = 8,
            Seed = 2,
        };
        (Sequential m1, Trainer t1, _) = Make(options with { Augment = Distort });
        (Sequential m2, Trainer t2, _) = Make(options);

        History h1 = t1.Fit(x, y);
        History h2 = t2.Fit(Augmentation.Apply(x, Distort, 2 * 7_919 + 1), y);

        Assert.Equal(Weights(m2), Weights(m1));
        Assert.Equal(h2.Epochs[0].TrainLoss, h1.Epochs[0].TrainLoss);
    }

    [Fact]
    public void AugmentedTrainingIsBitIdenticalWhateverTheThreadCount()
    {
        (Matrix<float> x, int[] y) = Images(64);
        var options = new TrainerOptions
        {
            Epochs = 2,
            BatchSize = 16,
            Seed = 1,
            Augment = Distort,
        };
        Sequential Trained(int threads) =>
            ThreadLimit.Run(
                threads,
                () =>
                {
                    (Sequential m, Trainer t, _) = Make(options);
                    t.Fit(x, y);
                    return m;
                }
            );
        Assert.Equal(Weights(Trained(1)), Weights(Trained(4)));
    }

    [Fact]
    public void LearningRateDecaysByGammaPerEpochAndIsRestored()
    {
        (Matrix<float> x, int[] y) = Images(20);
        (_, Trainer trainer, Recorder recorder) = Make(
            new TrainerOptions
            {
                Epochs = 4,
                BatchSize = 10,
                LearningRateDecay = 0.5,
            }
        );

        trainer.Fit(x, y);

        // 0.5 · 0.5^(e − 1) for epochs 1..4, on both steps of each epoch.
        Assert.Equal([0.5, 0.5, 0.25, 0.25, 0.125, 0.125, 0.0625, 0.0625], recorder.Rates);
        Assert.Equal(0.5, trainer.Optimizer.LearningRate);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void LearningRateDecayOutsideZeroToOneIsRejected(double gamma)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Make(new TrainerOptions { LearningRateDecay = gamma }));
        Assert.Equal("LearningRateDecay", e.ParamName);
    }

    [Fact]
    public void InvalidAugmentOptionsAreRejectedBeforeTraining()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Make(new TrainerOptions { Augment = new AugmentOptions { MaxScale = 1 } })
        );
        Assert.Equal("MaxScale", e.ParamName);
    }

    /// <summary>Records every training row the model sees (with its label and epoch) and the rate of every step.</summary>
    private sealed class Recorder(TestSgd optimizer) : ITrainingObserver<float>
    {
        public List<(int Epoch, float[] Row, int Label)> Rows { get; } = [];

        public List<double> Rates { get; } = [];

        public bool OnStep(TrainingStep<float> step)
        {
            for (int i = 0; i < step.Inputs.Rows; i++)
            {
                Rows.Add((step.Epoch, step.Inputs.Row(i).ToArray(), step.Labels[i]));
            }
            Rates.Add(optimizer.LearningRate);
            return false;
        }
    }
}

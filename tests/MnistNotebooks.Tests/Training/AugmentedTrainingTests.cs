using MnistNotebooks.Data;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Optimizers;
using MnistNotebooks.Randomness;
using MnistNotebooks.Training;

namespace MnistNotebooks.Tests.Training;

public sealed class AugmentedTrainingTests
{
    private static readonly AugmentOptions Distort = new()
    {
        MaxRotationDegrees = 10,
        MaxShift = 2,
        ElasticAlpha = 8,
    };

    private static (Matrix<float> X, int[] Y) Data(int n)
    {
        var rng = new RandomState(5);
        var x = new Matrix<float>(n, 784);
        for (int i = 0; i < x.Length; i++)
        {
            x.Data[i] = (float)rng.RandomSample();
        }
        return (x, [.. Enumerable.Range(0, n).Select(i => i % 3)]);
    }

    private static Sequential Net()
    {
        var rng = new RandomState(0);
        return new Sequential(new Dense(784, 6, rng), new Relu(), new Dense(6, 3, rng));
    }

    private static Trainer Make(Sequential net, TrainerOptions options) =>
        new(net, new SoftmaxCrossEntropy(), new Sgd(net.Parameters, 0.05, momentum: 0.9), options);

    [Fact]
    public void WithoutDistortionAndShuffleItIsOneFitOfAllTheEpochs()
    {
        // The oracle: one ordinary Fit of 3 epochs. Zero distortion is the identity, and without shuffling the seeds
        // change nothing, so three one-epoch fits sharing the optimizer must give the same weights bit for bit.
        (Matrix<float> x, int[] y) = Data(20);
        var options = new TrainerOptions
        {
            Epochs = 3,
            BatchSize = 8,
            Shuffle = false,
        };
        Sequential reference = Net(),
            augmented = Net();
        Trainer plain = Make(reference, options);
        plain.Fit(x, y);
        Trainer trainer = Make(augmented, options);
        IReadOnlyList<EpochRecord> records = AugmentedTraining.Fit(trainer, x, y, new AugmentOptions());
        Assert.Equal([1, 2, 3], records.Select(r => r.Epoch));
        Assert.Equal(9, trainer.Optimizer.StepCount);
        Assert.Equal(plain.Optimizer.StepCount, trainer.Optimizer.StepCount);
        Assert.Equal(reference.Parameters.SelectMany(p => p.Value.Data), augmented.Parameters.SelectMany(p => p.Value.Data));
    }

    [Fact]
    public void EpochEFitsTheImagesDistortedBySeedPlusE()
    {
        // Full batch: the step's inputs are the epoch's whole training matrix, compared with Augmentation.Apply itself.
        (Matrix<float> x, int[] y) = Data(10);
        var seen = new List<float[]>();
        Trainer trainer = Make(
            Net(),
            new TrainerOptions
            {
                Epochs = 3,
                BatchSize = TrainerOptions.FullBatch,
                Seed = 4,
            }
        );
        trainer.Observers.Add(new InputsRecorder(seen));
        var reports = new List<TrainingProgress>();
        (Matrix<float> xv, int[] yv) = Data(4);
        IReadOnlyList<EpochRecord> records = AugmentedTraining.Fit(
            trainer,
            x,
            y,
            Distort,
            xv,
            yv,
            new InlineProgress<TrainingProgress>(reports.Add)
        );
        Assert.Equal(3, seen.Count);
        for (int e = 1; e <= 3; e++)
        {
            Assert.Equal(Augmentation.Apply(x, Distort, seed: 4 + e).Data, seen[e - 1]);
        }
        Assert.NotEqual(seen[0], seen[1]);
        Assert.All(records, r => Assert.True(r.HasValidation));
        Assert.Equal([1, 2, 3], reports.Select(r => r.Epoch));
        Assert.Equal([1L, 2, 3], reports.Select(r => r.GlobalStep));
    }

    [Fact]
    public void EarlyStoppingAndASplitAreRefused()
    {
        (Matrix<float> x, int[] y) = Data(10);
        Trainer early = Make(Net(), new TrainerOptions { EarlyStopping = new EarlyStopping(2) });
        Assert.Throws<NotSupportedException>(() => AugmentedTraining.Fit(early, x, y, Distort, x, y));
        Trainer split = Make(Net(), new TrainerOptions { ValidationFraction = 0.2 });
        Assert.Throws<NotSupportedException>(() => AugmentedTraining.Fit(split, x, y, Distort));
        Assert.Throws<ArgumentException>(() => AugmentedTraining.Fit(Make(Net(), new TrainerOptions()), x, y, Distort, x));
    }

    private sealed class InputsRecorder(List<float[]> seen) : ITrainingObserver<float>
    {
        public bool OnStep(TrainingStep<float> step)
        {
            seen.Add(step.Inputs.Data.ToArray());
            return false;
        }
    }
}

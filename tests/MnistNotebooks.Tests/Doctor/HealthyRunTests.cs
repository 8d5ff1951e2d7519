using MnistNotebooks.Data;
using MnistNotebooks.Doctor;
using MnistNotebooks.Initialization;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Optimizers;
using MnistNotebooks.Randomness;
using MnistNotebooks.Training;
using Xunit.Abstractions;

namespace MnistNotebooks.Tests.Doctor;

/// <summary>No false alarms: healthy runs of the kinds chapters 07–12 teach (chapter 11's L2, dropout and augmentation and
/// chapter 12's final model among them), examined before training, watched
/// during it and examined after it, on real MNIST (the first 10,000 training images, 2 epochs, float32). The table
/// of what the doctor said is printed; any warning or error fails.</summary>
[Collection("Parallelism")]
public sealed class HealthyRunTests(ITestOutputHelper output)
{
    private sealed record Setup(
        string Name,
        Func<RandomState, Sequential> Model,
        ILoss<float> Loss,
        Func<IReadOnlyList<Parameter<float>>, Optimizer<float>> Optimizer,
        int BatchSize,
        AugmentOptions? Augment = null,
        double LearningRateDecay = 1
    );

    private static readonly AugmentOptions Affine = new()
    {
        MaxRotationDegrees = 10,
        MaxScale = 0.1,
        MaxShearDegrees = 10,
        MaxShift = 2,
    };

    private static readonly AugmentOptions AffineAndElastic = Affine with { ElasticAlpha = 34, ElasticSigma = 4 };

    private static Sequential Net256(RandomState r, double dropout) =>
        dropout > 0
            ? new Sequential(D(784, 256, r, new He()), new Relu(), new Dropout(dropout, seed: 0), D(256, 10, r, new He()))
            : new Sequential(D(784, 256, r, new He()), new Relu(), D(256, 10, r, new He()));

    private static Dense D(int i, int o, RandomState rng, Initializer init) => new(i, o, rng, init);

    private static readonly Setup[] Setups =
    [
        new(
            "784-300-10 ReLU, He + N(0, 0.01²) output, Adam 1e-3, batch 128",
            r => new Sequential(D(784, 300, r, new He()), new Relu(), D(300, 10, r, new Normal(0.01))),
            new SoftmaxCrossEntropy(),
            p => new Adam(p, 1e-3),
            128
        ),
        new(
            "784-300-10 ReLU, He everywhere, Adam 1e-3, batch 128",
            r => new Sequential(D(784, 300, r, new He()), new Relu(), D(300, 10, r, new He())),
            new SoftmaxCrossEntropy(),
            p => new Adam(p, 1e-3),
            128
        ),
        new(
            "784-300-10 ReLU, Sgd lr 0.01 momentum 0.9, batch 64",
            r => new Sequential(D(784, 300, r, new He()), new Relu(), D(300, 10, r, new Normal(0.01))),
            new SoftmaxCrossEntropy(),
            p => new Sgd(p, 0.01, momentum: 0.9),
            64
        ),
        new(
            "784-100-10 tanh, Xavier, RmsProp 1e-3, batch 64",
            r => new Sequential(D(784, 100, r, new XavierUniform()), new Tanh(), D(100, 10, r, new XavierUniform())),
            new SoftmaxCrossEntropy(),
            p => new RmsProp(p, 1e-3),
            64
        ),
        new(
            "784-16-10 sigmoid, Xavier, squared error, Sgd lr 1, batch 32 (chapter 03's fix)",
            r => new Sequential(D(784, 16, r, new XavierUniform()), new Sigmoid(), D(16, 10, r, new XavierUniform()), new Sigmoid()),
            new MeanSquaredError(),
            p => new Sgd(p, 1),
            32
        ),
        new(
            "784→10 softmax regression, N(0, 0.01²), Sgd lr 0.1, batch 32 (chapter 02's fix)",
            r => new Sequential(D(784, 10, r, new Normal(0.01))),
            new SoftmaxCrossEntropy(),
            p => new Sgd(p, 0.1),
            32
        ),
        new(
            "784-512-256-128-64-10 ReLU, Sgd lr 0.01 momentum 0.9, batch 64 (chapter 04's fix)",
            r => new Sequential(
                D(784, 512, r, new He()),
                new Relu(),
                D(512, 256, r, new He()),
                new Relu(),
                D(256, 128, r, new He()),
                new Relu(),
                D(128, 64, r, new He()),
                new Relu(),
                D(64, 10, r, new Normal(0.01))
            ),
            new SoftmaxCrossEntropy(),
            p => new Sgd(p, 0.01, momentum: 0.9),
            64
        ),
        new(
            "784-300-10 ReLU, Sgd lr 0.05 momentum 0.9, L2 weight decay 5e-4, batch 64",
            r => new Sequential(D(784, 300, r, new He()), new Relu(), D(300, 10, r, new Normal(0.01))),
            new SoftmaxCrossEntropy(),
            p => new Sgd(p, 0.05, momentum: 0.9, weightDecay: 5e-4),
            64
        ),
        new(
            "784-300-10 ReLU, Adam 1e-3 with L2 1e-4, batch 128",
            r => new Sequential(D(784, 300, r, new He()), new Relu(), D(300, 10, r, new Normal(0.01))),
            new SoftmaxCrossEntropy(),
            p => new Adam(p, 1e-3, weightDecay: 1e-4),
            128
        ),
        new(
            "784-300-10 ReLU + dropout 0.2, AdamW 1e-3, batch 128",
            r => new Sequential(D(784, 300, r, new He()), new Relu(), new Dropout(0.2, seed: 0), D(300, 10, r, new Normal(0.01))),
            new SoftmaxCrossEntropy(),
            p => new AdamW(p, 1e-3),
            128
        ),
        new(
            "784-256-10 ReLU, Sgd lr 0.05 momentum 0.9, L2 3e-3, batch 64 (chapter 11's L2)",
            r => Net256(r, 0),
            new SoftmaxCrossEntropy(),
            p => new Sgd(p, 0.05, momentum: 0.9, weightDecay: 3e-3),
            64
        ),
        new(
            "784-256-10 ReLU + dropout 0.5, Sgd lr 0.05 momentum 0.9, batch 64 (chapter 11's dropout)",
            r => Net256(r, 0.5),
            new SoftmaxCrossEntropy(),
            p => new Sgd(p, 0.05, momentum: 0.9),
            64
        ),
        new(
            "784-256-10 ReLU, Sgd lr 0.05 momentum 0.9, affine and elastic augmentation, batch 64 (chapter 11's augmentation)",
            r => Net256(r, 0),
            new SoftmaxCrossEntropy(),
            p => new Sgd(p, 0.05, momentum: 0.9),
            64,
            AffineAndElastic
        ),
        new(
            "784-800-800-10 ReLU + dropout 0.2, Adam 1e-3 × 0.9 per epoch, affine augmentation, batch 128 (chapter 12's model)",
            r => new Sequential(
                D(784, 800, r, new He()),
                new Relu(),
                new Dropout(0.2, seed: 1),
                D(800, 800, r, new He()),
                new Relu(),
                new Dropout(0.2, seed: 2),
                D(800, 10, r, new He())
            ),
            new SoftmaxCrossEntropy(),
            p => new Adam(p, 1e-3),
            128,
            Affine,
            0.9
        ),
    ];

    [Fact]
    public void HealthyRunsGetNoWarningAndNoError()
    {
        MnistSet train = QuestionSetups.Digits.Train.Take(10_000);
        Matrix<float> x = train.ScaledPixels();
        var failures = new List<string>();
        output.WriteLine("| setup | before training | during 2 epochs | after training |");
        output.WriteLine("|---|---|---|---|");
        foreach (Setup s in Setups)
        {
            Sequential model = s.Model(new RandomState(0));
            var trainer = new Trainer(
                model,
                s.Loss,
                s.Optimizer(model.Parameters),
                new TrainerOptions
                {
                    Epochs = 2,
                    BatchSize = s.BatchSize,
                    Seed = 0,
                    Augment = s.Augment,
                    LearningRateDecay = s.LearningRateDecay,
                }
            );
            DoctorObserver<float> watch = TrainingDoctor.Attach(trainer, x, train.Labels);
            DoctorReport before = watch.Report;
            History history = trainer.Fit(x, train.Labels);
            DoctorReport after = TrainingDoctor.Examine(trainer, x, train.Labels);
            output.WriteLine($"| {s.Name} | {Said(before.Findings)} | {Said(watch.RunFindings)} | {Said(after.Findings)} |");
            output.WriteLine($"|   | | train loss {history.Epochs[^1].TrainLoss:F3}, acc {history.Epochs[^1].TrainAccuracy:P1} | |");
            foreach (Finding f in before.Findings.Concat(watch.RunFindings).Concat(after.Findings).Where(f => f.Severity != Severity.Info))
            {
                failures.Add($"{s.Name}: {f}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The reference case: 784-300-10 ReLU with Adam 1e-3 on all 60,000 images for 3 epochs.</summary>
    [Fact]
    public void TheReferenceNetworkTrainedThreeEpochsOnAllImagesGetsNoWarningAndNoError()
    {
        MnistSet train = QuestionSetups.Digits.Train;
        Matrix<float> x = train.ScaledPixels();
        Sequential model = Setups[0].Model(new RandomState(0));
        var trainer = new Trainer(
            model,
            new SoftmaxCrossEntropy(),
            new Adam(model.Parameters, 1e-3),
            new TrainerOptions { Epochs = 3, BatchSize = 128 }
        );
        DoctorObserver<float> watch = TrainingDoctor.Attach(trainer, x, train.Labels);
        History history = trainer.Fit(x, train.Labels);
        DoctorReport after = TrainingDoctor.Examine(trainer, x, train.Labels);
        output.WriteLine(watch.Report.ToString());
        output.WriteLine(history.ToString());
        output.WriteLine(after.ToString());
        output.WriteLine(string.Join(", ", after.Measurements.Select(kv => FormattableString.Invariant($"{kv.Key}={kv.Value:G4}"))));
        Assert.True(watch.Report.Healthy, watch.Report.ToString());
        Assert.True(after.Healthy, after.ToString());
    }

    private static string Said(IEnumerable<Finding> findings)
    {
        string list = string.Join(", ", findings.Select(f => $"{f.Code} {f.SeverityLabel.ToLowerInvariant()}"));
        return list.Length == 0 ? "nothing" : list;
    }
}

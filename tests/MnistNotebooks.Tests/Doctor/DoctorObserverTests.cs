using MnistNotebooks.Doctor;
using MnistNotebooks.Initialization;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Optimizers;
using MnistNotebooks.Randomness;
using MnistNotebooks.Training;
using static MnistNotebooks.Tests.Doctor.Synthetic;

namespace MnistNotebooks.Tests.Doctor;

/// <summary>The doctor watching a Trainer run: what only a run shows.</summary>
public sealed class DoctorObserverTests
{
    private static (Matrix<double> X, int[] Y) Data() => Blobs(n: 256, d: 6);

    private static Sequential<double> Network(int seed, double firstBias = 0, double outputBias0 = 0)
    {
        var rng = new RandomState(seed);
        var model = new Sequential<double>(
            new Dense<double>(6, 16, rng, new He(), new Constant(firstBias)),
            new Relu<double>(),
            new Dense<double>(16, Classes, rng, new Normal(0.01))
        );
        ((Dense<double>)model.Layers[2]).Bias!.Value[0, 0] = outputBias0;
        return model;
    }

    private static DoctorObserver<double> Run(Sequential<double> model, Optimizer<double> optimizer, int epochs = 3, int batch = 16)
    {
        (Matrix<double> x, int[] y) = Data();
        var trainer = new Trainer<double>(
            model,
            new SoftmaxCrossEntropy<double>(),
            optimizer,
            new TrainerOptions { Epochs = epochs, BatchSize = batch }
        );
        DoctorObserver<double> watch = TrainingDoctor.Attach(trainer, x, y);
        trainer.Fit(x, y);
        return watch;
    }

    [Fact]
    public void AHealthyRunGivesNoFinding()
    {
        Sequential<double> model = Network(0);
        DoctorObserver<double> watch = Run(model, new Adam<double>(model.Parameters, 1e-2));
        Assert.Empty(watch.RunFindings);
        Assert.True(watch.Report.Healthy, watch.Report.ToString());
    }

    [Fact]
    public void ADeadFirstLayerGivesEveryInputTheSameOutput()
    {
        // Every first-layer ReLU is off for every input: the logits are the output bias, for everyone.
        Sequential<double> model = Network(0, firstBias: -100);
        DoctorObserver<double> watch = Run(model, new Sgd<double>(model.Parameters, 0.1));
        Assert.Contains(watch.RunFindings, f => f.Code == FindingCodes.OutputsIgnoreInput && f.Severity == Severity.Error);
        // The examination before the run saw it too: a dead layer, identical outputs the updates keep identical.
        DoctorReport report = watch.Report;
        Assert.Equal(Severity.Error, report[FindingCodes.DeadRelu]?.Severity);
        Assert.Contains("identical", report[FindingCodes.OutputsIgnoreInput]!.Evidence);
    }

    [Fact]
    public void ADivergingRunNamesTheFirstNonFiniteLoss()
    {
        (Matrix<double> x, int[] y) = Data();
        var rng = new RandomState(0);
        var model = new Sequential(new Dense(6, Classes, rng, new Normal(1)));
        // float32, squared error summed, a learning rate far too large: the loss passes 3.4e38 within the first epoch.
        var trainer = new Trainer(
            model,
            new MeanSquaredError(reduction: MseReduction.Sum),
            new Sgd(model.Parameters, 100),
            new TrainerOptions { Epochs = 2, BatchSize = 32 }
        );
        var watch = new DoctorObserver<float>();
        trainer.Observers.Add(watch);
        trainer.Fit(x.Convert<float>(), y);
        Finding f = Assert.Single(watch.RunFindings, f => f.Code == FindingCodes.NonFinite);
        Assert.Contains("epoch 1, step", f.Evidence);
        Assert.Equal(FindingCodes.UpdateTooLarge, watch.Report.Top!.Code);
    }

    [Fact]
    public void PredictionsStuckOnOneClassDuringARunAreACollapse()
    {
        // A huge bias for class 0 and a learning rate too small to undo it: every prediction stays 0, for 12 windows
        // of 20 steps (an untrained start alone, 2 epochs here, is not a collapse).
        Sequential<double> model = Network(0, outputBias0: 50);
        DoctorObserver<double> watch = Run(model, new Sgd<double>(model.Parameters, 1e-6), epochs: 15);
        Assert.Contains(watch.RunFindings, f => f.Code == FindingCodes.PredictionsCollapsed);
        Sequential<double> brief = Network(0, outputBias0: 50);
        Assert.DoesNotContain(
            Run(brief, new Sgd<double>(brief.Parameters, 1e-6), epochs: 2).RunFindings,
            f => f.Code == FindingCodes.PredictionsCollapsed
        );
    }

    [Fact]
    public void UpdateRatiosTrackedByTheTrainerAreJudged()
    {
        Sequential<double> model = Network(0);
        DoctorObserver<double> watch = Run(model, new Sgd<double>(model.Parameters, 1e-9), epochs: 1);
        Assert.Contains(watch.RunFindings, f => f.Code == FindingCodes.UpdateTooSmall);
    }
}

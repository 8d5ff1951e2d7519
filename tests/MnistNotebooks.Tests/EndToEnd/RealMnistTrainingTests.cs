using System.Diagnostics;
using MnistNotebooks.Data;
using MnistNotebooks.Initialization;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Optimizers;
using MnistNotebooks.Randomness;
using MnistNotebooks.Tests.Data;
using MnistNotebooks.Training;
using Xunit.Abstractions;

namespace MnistNotebooks.Tests.EndToEnd;

/// <summary>The library trains a real network on real MNIST to the accuracy the literature expects.</summary>
[Collection("Parallelism")]
public sealed class RealMnistTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void Mlp784x300x10WithAdamReaches97Point5PercentInFiveEpochs()
    {
        string dir = RealData.Directory();
        MnistData data = Mnist.Load(dir);
        var rng = new RandomState(1);
        var model = new Sequential(new Dense(784, 300, rng, new He()), new Relu(), new Dense(300, 10, rng, new He()));
        var trainer = new Trainer(
            model,
            new SoftmaxCrossEntropy(),
            new Adam(model.Parameters, learningRate: 1e-3f),
            new TrainerOptions
            {
                Epochs = 5,
                BatchSize = 128,
                Seed = 1,
            }
        );

        var clock = Stopwatch.StartNew();
        History history = trainer.Fit(data.Train.ScaledPixels(), data.Train.Labels);
        clock.Stop();
        EvaluationResult<float> test = trainer.Evaluate(data.Test.ScaledPixels(), data.Test.Labels);

        output.WriteLine(history.ToString());
        output.WriteLine(
            FormattableString.Invariant($"test accuracy {test.Accuracy:P2} after 5 epochs in {clock.Elapsed.TotalSeconds:F1} s")
        );
        Assert.Equal(StopReason.Completed, history.StopReason);
        Assert.True(test.Accuracy >= 0.975, FormattableString.Invariant($"test accuracy {test.Accuracy:P2} < 97.5%"));
    }
}

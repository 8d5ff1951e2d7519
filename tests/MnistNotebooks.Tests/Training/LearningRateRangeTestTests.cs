using MnistNotebooks.Layers;
using MnistNotebooks.Optimizers;
using MnistNotebooks.Training;

namespace MnistNotebooks.Tests.Training;

public sealed class LearningRateRangeTestTests
{
    [Fact]
    public void RatesAreGeometricFromStartToEnd()
    {
        var model = TestData.Model(1);
        var test = new LearningRateRangeTest<float>(new TestSgd(model.Parameters, 1), 0.01, 1, 3);
        Assert.Equal(0.01, test.RateAt(0), 15);
        Assert.Equal(0.1, test.RateAt(1), 15);
        Assert.Equal(1, test.RateAt(2), 15);
        Assert.Equal(3, test.EpochsFor(samples: 100, batchSize: 100));
        Assert.Equal(1, test.EpochsFor(samples: 100, batchSize: 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateRangeTest<float>(new TestSgd(model.Parameters, 1), 1, 1, 3));
    }

    [Fact]
    public void RecordsTheLossesOfAHandLoopThatSetsEachRate()
    {
        (Matrix<float> x, int[] y) = TestData.Separable(64, seed: 4);
        var model = TestData.Model(3);
        var sgd = new TestSgd(model.Parameters, 1);
        var test = new LearningRateRangeTest<float>(sgd, 1e-3, 10, 12, smoothing: 0.5, divergence: 1e9);
        var trainer = new Trainer(model, new TestSoftmaxCrossEntropy(), sgd, new TrainerOptions { Epochs = 12, BatchSize = 64 });
        trainer.Observers.Add(test);
        History history = trainer.Fit(x, y);

        // The oracle: the same model, full batch, the rate of step k set by hand.
        var reference = TestData.Model(3);
        var loss = new TestSoftmaxCrossEntropy();
        var expected = new List<double>();
        for (int k = 0; k < 12; k++)
        {
            reference.ZeroGradients();
            expected.Add(loss.Forward(reference.Forward(x), y));
            reference.Backward(loss.Backward());
            double rate = 1e-3 * Math.Pow(10 / 1e-3, k / 11.0);
            foreach (Parameter<float> p in reference.Parameters)
            {
                for (int i = 0; i < p.Value.Length; i++)
                {
                    p.Value.Data[i] -= (float)rate * p.Gradient.Data[i];
                }
            }
        }
        Assert.Equal(12, test.Losses.Count);
        Assert.Equal(StopReason.Observer, history.StopReason);
        for (int k = 0; k < 12; k++)
        {
            Assert.Equal(expected[k], test.Losses[k], 5);
            Assert.Equal(1e-3 * Math.Pow(1e4, k / 11.0), test.LearningRates[k], 12);
        }
        // EMA with β = 0.5, bias-corrected: S_1 = (0.5·0.5·L0 + 0.5·L1) / (1 − 0.25).
        Assert.Equal(test.Losses[0], test.SmoothedLosses[0], 12);
        Assert.Equal((0.25 * test.Losses[0] + 0.5 * test.Losses[1]) / 0.75, test.SmoothedLosses[1], 12);
        Assert.False(test.Diverged);
    }

    [Fact]
    public void StopsAtDivergenceAndPicksTheSteepestDescent()
    {
        var model = TestData.Model(1);
        var sgd = new TestSgd(model.Parameters, 1);
        var test = new LearningRateRangeTest<float>(sgd, 1e-4, 1, 9, smoothing: 0);
        var step = new TrainingStep<float>(model);
        double[] losses = [2, 2, 1.9, 1.0, 0.5, 0.4, 3, 9, 9];
        int taken = 0;
        foreach (double l in losses)
        {
            step.Loss = l;
            taken++;
            if (test.OnStep(step))
            {
                break;
            }
        }
        // Smoothed = losses (β = 0); 3 > 4·0.4 stops at the 7th step. Slopes (S[k+1] − S[k−1]) per equal ln-step:
        // k=1: −0.1, k=2: −1.0, k=3: −1.4, k=4: −0.6 → the steepest is step 3; the minimum is step 5.
        Assert.Equal(7, taken);
        Assert.True(test.Diverged);
        Assert.Equal(test.RateAt(3), test.SteepestRate, 15);
        Assert.Equal(test.RateAt(5), test.MinimumRate, 15);
        Assert.Equal(test.RateAt(6), sgd.LearningRate, 15); // the rate of the last step taken
    }
}

using MnistNotebooks.Initialization;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Optimizers;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Tests.Optimizers;

public sealed class TrainingSmokeTests
{
    public static TheoryData<string> Names => ["sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw"];

    /// <summary>Three Gaussian blobs, a 2-8-3 tanh net, 100 full-batch steps: every optimizer must cut the loss well below ln 3.</summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void EveryOptimizerLowersTheLossOfASmallNet(string name)
    {
        var rng = new RandomState(1);
        const int n = 60;
        var x = new Matrix<float>(n, 2);
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 3;
            x[i, 0] = (float)(2 * Math.Cos(2 * Math.PI * labels[i] / 3) + 0.3 * (rng.RandomSample() - 0.5));
            x[i, 1] = (float)(2 * Math.Sin(2 * Math.PI * labels[i] / 3) + 0.3 * (rng.RandomSample() - 0.5));
        }
        var model = new Sequential(new Dense(2, 8, rng, new XavierUniform()), new Tanh(), new Dense(8, 3, rng, new XavierUniform()));
        Optimizer<float> opt = name switch
        {
            "sgd" => new Sgd(model.Parameters, 0.5f),
            "momentum" => new Sgd(model.Parameters, 0.1f, momentum: 0.9f),
            "nesterov" => new Sgd(model.Parameters, 0.1f, momentum: 0.9f, nesterov: true),
            "rmsprop" => new RmsProp(model.Parameters, 0.01f),
            "adamw" => new AdamW(model.Parameters, 0.02, weightDecay: 1e-4),
            _ => new Adam(model.Parameters, 0.02f),
        };
        var loss = new SoftmaxCrossEntropy();
        float first = 0,
            last = 0;
        for (int step = 0; step < 100; step++)
        {
            model.ZeroGradients();
            last = loss.Forward(model.Forward(x), labels);
            if (step == 0)
            {
                first = last;
            }
            model.Backward(loss.Backward());
            opt.Step();
        }
        Assert.InRange(first, 0.5, 2.0);
        Assert.True(last < 0.1, $"{name}: loss {first} → {last}");
        Assert.Equal(100, opt.StepCount);
    }
}

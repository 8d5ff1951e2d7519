using MnistNotebooks.Diagnostics;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Optimizers;
using MnistNotebooks.Randomness;
using MnistNotebooks.Tests.Layers;
using MnistNotebooks.Training;

namespace MnistNotebooks.Tests.Diagnostics;

public sealed class TrainingTraceTests
{
    private static Sequential<double> Net() =>
        new(
            new Dense<double>(4, 6, new RandomState(5)),
            new Tanh<double>(),
            new Dense<double>(6, 3, new RandomState(6)),
            new Relu<double>(),
            new Dense<double>(3, 3, new RandomState(7))
        );

    [Fact]
    public void RecordsWhatAHandWrittenLoopMeasuresAtSteps1AndEveryThird()
    {
        var rng = new RandomState(1);
        Matrix<double> x = Numeric.RandomMatrix<double>(8, 4, rng);
        int[] labels = [0, 1, 2, 0, 1, 2, 2, 1];
        var model = Net();
        var trace = new TrainingTrace<double>(model, every: 3, histogramSteps: [3]);
        var options = new TrainerOptions { Epochs = 7, BatchSize = TrainerOptions.FullBatch };
        var trainer = new Trainer<double>(model, new SoftmaxCrossEntropy<double>(), new Sgd<double>(model.Parameters, 0.5), options);
        trainer.Observers.Add(trace);
        trainer.Fit(x, labels);

        // The oracle: the same full-batch descent written out, every statistic computed naively.
        var twin = Net();
        var loss = new SoftmaxCrossEntropy<double>();
        var expected = new List<(long Step, double Loss, double TanhStd, double ReluZero, double GradNorm, double Ratio, double[] Tanh)>();
        for (long t = 1; t <= 7; t++)
        {
            twin.ZeroGradients();
            double l = loss.Forward(twin.Forward(x), labels);
            twin.Backward(loss.Backward());
            double[] tanh = [.. twin.Outputs[1].Data];
            double mean = tanh.Average();
            double std = Math.Sqrt(tanh.Sum(v => (v - mean) * (v - mean)) / tanh.Length);
            double zero = twin.Outputs[3].Data.Count(v => v <= 0) / (double)twin.Outputs[3].Length;
            double[] g = twin.Parameters[2].Gradient.Data; // dense2.W
            double gradNorm = Math.Sqrt(g.Sum(v => v * v));
            double[] before = [.. twin.Parameters[2].Value.Data];
            for (int p = 0; p < twin.Parameters.Count; p++)
            {
                var value = twin.Parameters[p].Value.Data;
                var grad = twin.Parameters[p].Gradient.Data;
                for (int k = 0; k < value.Length; k++)
                {
                    value[k] -= 0.5 * grad[k];
                }
            }
            double[] after = twin.Parameters[2].Value.Data;
            double ratio = Math.Sqrt(after.Zip(before, (a, b) => (a - b) * (a - b)).Sum()) / Math.Sqrt(before.Sum(v => v * v));
            if (t == 1 || t % 3 == 0)
            {
                expected.Add((t, l, std, zero, gradNorm, ratio, tanh));
            }
        }

        Assert.Equal(expected.Select(e => e.Step), trace.Steps);
        Assert.Equal(["tanh1", "relu1"], trace.ActivationLayers);
        Assert.Equal(["dense1.W", "dense2.W", "dense3.W"], trace.WeightParameters);
        Numeric.AssertClose([.. expected.Select(e => e.Loss)], [.. trace.Losses], 1e-12, 1e-10);
        Numeric.AssertClose([.. expected.Select(e => e.TanhStd)], trace.ActivationOf("tanh1", s => s.Std), 1e-12, 1e-10);
        Numeric.AssertClose([.. expected.Select(e => e.ReluZero)], trace.ActivationOf("relu1", s => s.ZeroFraction), 0, 0);
        Numeric.AssertClose([.. expected.Select(e => e.GradNorm)], trace.GradientNormOf("dense2.W"), 1e-12, 1e-10);
        Numeric.AssertClose([.. expected.Select(e => e.Ratio)], trace.RatioOf("dense2.W"), 1e-12, 1e-9);
        var histogram = trace.Histograms[3];
        Assert.Equal(["tanh1", "relu1"], histogram.Select(h => h.Layer));
        Numeric.AssertClose([.. expected[1].Tanh.Select(v => (double)(float)v)], [.. histogram[0].Values.Select(v => (double)v)], 0, 0);
        Assert.Single(trace.Histograms);

        var curves = trace.UpdateRatioSeries();
        Assert.Equal(3, curves.Count);
        Assert.Equal(new double[] { 1, 3, 6 }, curves[1].X);
        Assert.Equal(trace.RatioOf("dense2.W"), curves[1].Y);
        Assert.Equal(trace.ActivationOf("relu1", s => s.DeadFraction), trace.ActivationSeries(s => s.DeadFraction)[1].Y);
        Assert.Equal(trace.GradientNormOf("dense1.W"), trace.GradientNormSeries()[0].Y);
    }
}

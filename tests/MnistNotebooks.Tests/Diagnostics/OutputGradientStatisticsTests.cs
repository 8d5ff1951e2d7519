using MnistNotebooks.Diagnostics;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Randomness;
using MnistNotebooks.Tests.Layers;

namespace MnistNotebooks.Tests.Diagnostics;

public sealed class OutputGradientStatisticsTests
{
    private static (Sequential<double> Model, Matrix<double> X, int[] Labels) Net()
    {
        var rng = new RandomState(3);
        var model = new Sequential<double>(
            new Dense<double>(4, 5, rng),
            new Tanh<double>(),
            new Dense<double>(5, 3, rng),
            new Relu<double>(),
            new Dense<double>(3, 3, rng)
        );
        return (model, Numeric.RandomMatrix<double>(6, 4, rng), [0, 2, 1, 1, 0, 2]);
    }

    [Fact]
    public void EachLayersOutputGradientIsTheLossesDerivativeByCentralDifferences()
    {
        var (model, x, labels) = Net();
        var loss = new SoftmaxCrossEntropy<double>();
        IReadOnlyList<OutputGradientStats> stats = OutputGradientStatistics.Of(model, loss, x, labels);
        Assert.Equal(4, stats.Count);
        for (int layer = 0; layer < 4; layer++)
        {
            // The oracle: the loss as a function of layer i's output, running only the layers after it.
            model.Forward(x);
            double[] y = [.. model.Outputs[layer].Data];
            int rows = model.Outputs[layer].Rows,
                cols = model.Outputs[layer].Cols;
            double LossOf(double[] v)
            {
                Matrix<double> h = new(rows, cols, [.. v]);
                for (int k = layer + 1; k < model.Layers.Count; k++)
                {
                    h = model.Layers[k].Forward(h).Clone();
                }
                return new SoftmaxCrossEntropy<double>().Forward(h, labels);
            }
            double[] expected = Numeric.Gradient(y, LossOf);
            OutputGradientStatistics.Of(model, loss, x, labels);
            double[] actual = OutputGradientStatistics.Gradient(model, layer).Data;
            Numeric.AssertClose(expected, actual, atol: 1e-8, rtol: 1e-6);

            double mean = expected.Average();
            double std = Math.Sqrt(expected.Sum(v => (v - mean) * (v - mean)) / expected.Length);
            Assert.Equal(mean, stats[layer].Mean, 1e-8);
            Assert.Equal(std, stats[layer].Std, 1e-8);
            Assert.Equal(expected.Max(Math.Abs), stats[layer].MaxAbs, 1e-8);
            Assert.Equal(model.Layers[layer].Kind, stats[layer].Kind);
            Assert.Equal($"({rows}, {cols})", stats[layer].Shape);
        }
        Assert.Equal(["dense1", "tanh1", "dense2", "relu1"], stats.Select(s => s.Layer));
    }

    [Fact]
    public void TheLastLayerAndAModelNotYetRunBackwardAreRejected()
    {
        var (model, x, labels) = Net();
        Assert.Throws<InvalidOperationException>(() => OutputGradientStatistics.Gradient(model, 0));
        OutputGradientStatistics.Of(model, new SoftmaxCrossEntropy<double>(), x, labels);
        Assert.Throws<ArgumentOutOfRangeException>(() => OutputGradientStatistics.Gradient(model, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => OutputGradientStatistics.Gradient(model, -1));
    }
}

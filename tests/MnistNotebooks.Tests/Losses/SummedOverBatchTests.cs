using MnistNotebooks.Losses;
using MnistNotebooks.Randomness;
using MnistNotebooks.Tests.Layers;

namespace MnistNotebooks.Tests.Losses;

public sealed class SummedOverBatchTests
{
    [Fact]
    public void IsTheSumOfEachRowsLossAndEachRowsGradient()
    {
        var rng = new RandomState(5);
        var z = new Matrix<double>(6, 4, [.. Enumerable.Range(0, 24).Select(_ => rng.Randn() * 3)]);
        int[] labels = [0, 3, 1, 1, 2, 0];
        var summed = new SummedOverBatch<double>(new SoftmaxCrossEntropy<double>());

        double total = summed.Forward(z, labels);
        Matrix<double> g = summed.Backward();

        // The oracle: each row on its own, where mean and sum agree; −log softmax by hand.
        double expected = 0;
        for (int r = 0; r < z.Rows; r++)
        {
            double[] row = z.Row(r).ToArray();
            double log = Math.Log(row.Sum(v => Math.Exp(v)));
            expected += log - row[labels[r]];
            for (int c = 0; c < z.Cols; c++)
            {
                double p = Math.Exp(row[c] - log);
                Assert.Equal(p - (c == labels[r] ? 1 : 0), g[r, c], 12);
            }
        }
        Assert.Equal(expected, total, 12);
    }

    [Fact]
    public void SgdOnTheSumWithAlphaOverBatchTakesTheMeansStep()
    {
        var rng = new RandomState(2);
        var z = new Matrix<double>(8, 3, [.. Enumerable.Range(0, 24).Select(_ => rng.Randn())]);
        int[] labels = [0, 1, 2, 0, 1, 2, 0, 1];
        var mean = new MeanSquaredError<double>();
        var summed = new SummedOverBatch<double>(new MeanSquaredError<double>());
        Assert.Equal(8 * mean.Forward(z, labels), summed.Forward(z, labels), 12);
        Matrix<double> gm = mean.Backward(),
            gs = summed.Backward();
        for (int i = 0; i < gm.Length; i++)
        {
            Assert.Equal(gm.Data[i], gs.Data[i] / 8, 14);
        }
        Assert.IsType<SummedOverBatch<float>>(summed.Convert<float>());
        Assert.Throws<ArgumentNullException>(() => new SummedOverBatch<float>(null!));
    }

    [Fact]
    public void GradientBufferFollowsTheBatchShape()
    {
        // MSE with scale 0.5 summed over the batch: L = 0.5·Σ(out − y)², dOut = out − y, whatever the batch.
        var inner = new MeanSquaredError<double>();
        var summed = new SummedOverBatch<double>(inner);
        Assert.Same(inner, summed.Inner);
        var two = new Matrix<double>(2, 2, [1, 0, 0, 3]);
        var three = new Matrix<double>(3, 2, [0, 0, 2, 1, 0, -1]);
        Assert.Equal(0.5 * (1 + 4 + 1 + 0), summed.Forward(two, [1, 1]), 14);
        Assert.Equal([1, -1, 0, 2], summed.Backward().Data);
        // Errors (−1, 0), (1, 1), (0, −2).
        Assert.Equal(0.5 * 7, summed.Forward(three, [0, 0, 1]), 14);
        Matrix<double> g = summed.Backward();
        Assert.Equal((3, 2), (g.Rows, g.Cols));
        Numeric.AssertClose([-1, 0, 1, 1, 0, -2], g.Data, 1e-15, 0);
        Assert.Equal(0.5 * 4, summed.Forward(two, [0, 1]), 14);
        Assert.Equal([0, 0, 0, 2], summed.Backward().Data);
    }

    [Fact]
    public void ConvertSumsInTheOtherPrecision()
    {
        var summed = new SummedOverBatch<double>(new MeanSquaredError<double>(1.0, MseReduction.MeanOverElements));
        ILoss<float> copy = summed.Convert<float>();
        // (1·Σ(out − y)² / (batch·classes))·batch = Σ(out − y)² / classes: (1 + 4 + 1 + 0) / 2.
        Assert.Equal(3f, copy.Forward(new Matrix<float>(2, 2, [1, 0, 0, 3]), [1, 1]));
        Assert.Equal(new[] { 1f, -1f, 0f, 2f }, copy.Backward().Data);
    }

    [Fact]
    public void GradientBufferFollowsTheClassCount()
    {
        // The same batch with 2, then 3 classes: dOut = out − y (MSE, scale 0.5, summed).
        var summed = new SummedOverBatch<double>(new MeanSquaredError<double>());
        summed.Forward(new Matrix<double>(1, 2, [1, 1]), [0]);
        Assert.Equal([0, 1], summed.Backward().Data);
        summed.Forward(new Matrix<double>(1, 3, [1, 1, 1]), [2]);
        Matrix<double> g = summed.Backward();
        Assert.Equal((1, 3), (g.Rows, g.Cols));
        Assert.Equal([1, 1, 0], g.Data);
    }
}

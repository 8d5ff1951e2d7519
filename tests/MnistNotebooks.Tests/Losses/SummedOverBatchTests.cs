using MnistNotebooks.Losses;
using MnistNotebooks.Randomness;

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
}

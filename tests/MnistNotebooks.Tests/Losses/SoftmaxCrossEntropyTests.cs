using MnistNotebooks.Losses;
using MnistNotebooks.Randomness;
using MnistNotebooks.Tests.Layers;

namespace MnistNotebooks.Tests.Losses;

public sealed class SoftmaxCrossEntropyTests
{
    [Fact]
    public void EqualLogitsGiveLnOfClassCount()
    {
        var loss = new SoftmaxCrossEntropy();
        Assert.Equal(Math.Log(10), loss.Forward(new Matrix<float>(3, 10), [0, 4, 9]), 1e-6);
        Assert.All(loss.Probabilities.Data, p => Assert.Equal(0.1f, p, 6));
    }

    [Fact]
    public void FiniteAndExactForLogitsOfPlusMinus1e4()
    {
        var loss = new SoftmaxCrossEntropy();
        var z = Matrix<float>.FromArray(
            new float[,]
            {
                { 1e4f, -1e4f, 0 },
                { 1e4f, -1e4f, 0 },
                { -1e4f, -1e4f, -1e4f },
            }
        );
        float l = loss.Forward(z, [0, 1, 2]);
        // Rows: −log p = 0, 2e4 exactly, ln 3.
        Assert.Equal((float)((0 + 2e4 + Math.Log(3)) / 3), l);
        Assert.Equal(new float[] { 1, 0, 0, 1, 0, 0 }, loss.Probabilities.Data[..6]);
        Matrix<float> g = loss.Backward();
        Assert.True(g.AllFinite());
        Assert.Equal(new float[] { 0, 0, 0, 1 / 3f, -1 / 3f, 0 }, g.Data[..6]);
        Assert.Equal(2e4, new SoftmaxCrossEntropy<double>().Forward(new Matrix<double>(1, 2, [1e4, -1e4]), [1]));
    }

    [Fact]
    public void HandComputedTwoClassCase()
    {
        var loss = new SoftmaxCrossEntropy();
        float l = loss.Forward(
            Matrix<float>.FromArray(
                new float[,]
                {
                    { 0, (float)Math.Log(3) },
                }
            ),
            [1]
        );
        Assert.Equal(-Math.Log(0.75), l, 6); // p = [1/4, 3/4]
        Assert.Equal(new float[] { 0.25f, -0.25f }, loss.Backward().Data.Select(v => MathF.Round(v, 6)));
    }

    [Fact]
    public void BackwardMatchesNumericGradientOfAnIndependentReference()
    {
        var rng = new RandomState(1);
        const int batch = 4,
            classes = 5;
        Matrix<float> z = Numeric.RandomMatrix(batch, classes, rng, 3);
        int[] labels = [0, 3, 4, 3];
        double Reference(double[] v)
        {
            double total = 0;
            for (int r = 0; r < batch; r++)
            {
                double s = 0;
                for (int c = 0; c < classes; c++)
                {
                    s += Math.Exp(v[r * classes + c]);
                }
                total += -Math.Log(Math.Exp(v[r * classes + labels[r]]) / s);
            }
            return total / batch;
        }
        var loss = new SoftmaxCrossEntropy();
        double[] zd = Numeric.ToDouble(z.Data);
        Assert.Equal(Reference(zd), loss.Forward(z, labels), 5);
        Assert.Equal(Reference(zd), new SoftmaxCrossEntropy<double>().Forward(z.Convert<double>(), labels), 14);
        Numeric.AssertClose(Numeric.Gradient(zd, Reference), loss.Backward().Data, 1e-7, 1e-5);
        for (int r = 0; r < batch; r++)
        {
            Assert.Equal(1f, loss.Probabilities.Row(r).ToArray().Sum(), 6);
        }
    }

    [Fact]
    public void LabelsAreValidated()
    {
        var loss = new SoftmaxCrossEntropy();
        Assert.Throws<ShapeMismatchException>(() => loss.Forward(new Matrix<float>(2, 10), [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => loss.Forward(new Matrix<float>(1, 10), [10]));
        var order = Assert.Throws<InvalidOperationException>(() => new SoftmaxCrossEntropy().Backward());
        Assert.Equal("Backward was called before Forward", order.Message);
    }

    [Fact]
    public void BuffersAndLabelsFollowTheBatchShapeBetweenCalls()
    {
        // Batches of 1, then 2, then 1 again, checked against p by hand: equal logits give p = 1/2 each; logits
        // (0, ln 3) give p = (1/4, 3/4). A label or probability left over from the previous call would show.
        var loss = new SoftmaxCrossEntropy();
        var one = new Matrix<float>(1, 2, [0, (float)Math.Log(3)]);
        var two = new Matrix<float>(2, 2, [0, 0, (float)Math.Log(3), 0]);
        Assert.Equal(-Math.Log(0.75), loss.Forward(one, [1]), 6);
        Assert.Equal(new float[] { 0.25f, -0.25f }, loss.Backward().Data.Select(v => MathF.Round(v, 6)));
        Assert.Equal((Math.Log(2) + Math.Log(4.0 / 3)) / 2, loss.Forward(two, [1, 0]), 6);
        Assert.Equal(new[] { 0.25f, -0.25f, -0.125f, 0.125f }, loss.Backward().Data.Select(v => MathF.Round(v, 6)));
        Assert.Equal(new[] { 0.5f, 0.5f, 0.75f, 0.25f }, loss.Probabilities.Data.Select(v => MathF.Round(v, 6)));
        Assert.Equal(-Math.Log(0.25), loss.Forward(one, [0]), 6);
        Assert.Equal(new[] { -0.75f, 0.75f }, loss.Backward().Data.Select(v => MathF.Round(v, 6)));
        Assert.Equal((1, 2), (loss.Probabilities.Rows, loss.Probabilities.Cols));
    }

    [Fact]
    public void ProbabilitiesNeedAForwardAndConvertGivesTheSameLoss()
    {
        var loss = new SoftmaxCrossEntropy();
        var ex = Assert.Throws<InvalidOperationException>(() => loss.Probabilities);
        Assert.Equal("Probabilities are available after Forward", ex.Message);
        ILoss<double> copy = loss.Convert<double>();
        Assert.IsType<SoftmaxCrossEntropy<double>>(copy);
        Assert.Equal(-Math.Log(0.75), copy.Forward(new Matrix<double>(1, 2, [0, Math.Log(3)]), [1]), 14);
        var empty = Assert.Throws<ShapeMismatchException>(() => loss.Forward(new Matrix<float>(0, 10), []));
        Assert.Equal("logits", empty.ParamName);
        Assert.StartsWith("Expected a non-empty batch of logits but got 0 rows", empty.Message);
    }
}

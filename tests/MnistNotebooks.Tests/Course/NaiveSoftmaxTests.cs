using MnistNotebooks.Course;
using MnistNotebooks.Randomness;
using MnistNotebooks.Tests.Layers;

namespace MnistNotebooks.Tests.Course;

public sealed class NaiveSoftmaxTests
{
    [Fact]
    public void OverflowsToNaNAboveAbout88Point72InFloat32()
    {
        var p = new NaiveSoftmax<float>().Forward(
            Matrix<float>.FromArray(
                new float[,]
                {
                    { 88f, 0f },
                    { 89f, 0f },
                    { 89f, 90f },
                }
            )
        );
        Assert.True(float.IsFinite(p[0, 0]) && float.IsFinite(p[0, 1]));
        Assert.True(float.IsNaN(p[1, 0])); // ∞ / ∞
        Assert.Equal(0f, p[1, 1]); // 1 / ∞
        Assert.True(float.IsNaN(p[2, 0]) && float.IsNaN(p[2, 1]));
    }

    [Fact]
    public void OverflowsOnlyAboveAbout709Point78InFloat64()
    {
        var p = new NaiveSoftmax<double>().Forward(new Matrix<double>(2, 2, [709, 0, 710, 0]));
        Assert.True(p[0, 0] == 1 && p[0, 1] < 1e-300);
        Assert.True(double.IsNaN(p[1, 0]));
    }

    [Fact]
    public void UnderflowGivesExactZeros()
    {
        var p = new NaiveSoftmax<float>().Forward(
            Matrix<float>.FromArray(
                new float[,]
                {
                    { 0f, -120f },
                }
            )
        );
        Assert.Equal(1f, p[0, 0]);
        Assert.Equal(0f, p[0, 1]);
    }

    [Fact]
    public void ColumnsNormaliseOverSamples()
    {
        var z = Matrix<float>.FromArray(
            new float[,]
            {
                { 0, 1 },
                { 0, 1 },
            }
        );
        var p = new Matrix<float>(2, 2);
        NaiveSoftmax<float>.Columns(z, p);
        Assert.Equal(new float[] { 0.5f, 0.5f, 0.5f, 0.5f }, p.Data);
    }

    [Fact]
    public void BackwardMatchesNumericGradientInDouble()
    {
        var rng = new RandomState(4);
        var layer = new NaiveSoftmax<float>();
        Matrix<float> z = Numeric.RandomMatrix(2, 4, rng, 2);
        Matrix<float> g = Numeric.RandomMatrix(2, 4, rng);
        double Loss(double[] v)
        {
            double l = 0;
            for (int r = 0; r < 2; r++)
            {
                double s = 0;
                for (int c = 0; c < 4; c++)
                {
                    s += Math.Exp(v[r * 4 + c]);
                }
                for (int c = 0; c < 4; c++)
                {
                    l += Math.Exp(v[r * 4 + c]) / s * g.Data[r * 4 + c];
                }
            }
            return l;
        }
        layer.Forward(z);
        Numeric.AssertClose(Numeric.Gradient(Numeric.ToDouble(z.Data), Loss), layer.Backward(g).Data, 1e-6, 1e-4);
    }

    /// <summary>Over the samples each column sums to 1, so a sample's output depends on the other rows: the backward
    /// runs down the columns, checked against central differences written here.</summary>
    [Fact]
    public void OverSamplesBackwardMatchesNumericGradientInDouble()
    {
        var rng = new RandomState(6);
        var layer = new NaiveSoftmax<double>(overSamples: true);
        Matrix<double> z = Numeric.RandomMatrix<double>(3, 2, rng, 2);
        Matrix<double> g = Numeric.RandomMatrix<double>(3, 2, rng);
        double Loss(double[] v)
        {
            double l = 0;
            for (int c = 0; c < 2; c++)
            {
                double s = 0;
                for (int r = 0; r < 3; r++)
                {
                    s += Math.Exp(v[r * 2 + c]);
                }
                for (int r = 0; r < 3; r++)
                {
                    l += Math.Exp(v[r * 2 + c]) / s * g.Data[r * 2 + c];
                }
            }
            return l;
        }
        Matrix<double> p = layer.Forward(z);
        Assert.Equal(1.0, p[0, 0] + p[1, 0] + p[2, 0], 15);
        Numeric.AssertClose(Numeric.Gradient((double[])z.Data.Clone(), Loss), layer.Backward(g).Data, 1e-9, 1e-7);
    }
}

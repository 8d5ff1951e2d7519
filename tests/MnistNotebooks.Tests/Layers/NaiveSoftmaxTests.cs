using MnistNotebooks.Layers;

namespace MnistNotebooks.Tests.Layers;

public sealed class NaiveSoftmaxTests
{
    [Fact]
    public void OverflowsToNaNAboveAbout88Point72InFloat32()
    {
        var p = new NaiveSoftmax().Forward(
            Matrix.FromArray(
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
    public void UnderflowGivesExactZeros()
    {
        var p = new NaiveSoftmax().Forward(
            Matrix.FromArray(
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
        var z = Matrix.FromArray(
            new float[,]
            {
                { 0, 1 },
                { 0, 1 },
            }
        );
        var p = new Matrix(2, 2);
        NaiveSoftmax.Columns(z, p);
        Assert.Equal(new float[] { 0.5f, 0.5f, 0.5f, 0.5f }, p.Data);
    }

    [Fact]
    public void BackwardMatchesNumericGradientInDouble()
    {
        var rng = new Random(4);
        var layer = new NaiveSoftmax();
        Matrix z = Numeric.RandomMatrix(2, 4, rng, 2);
        Matrix g = Numeric.RandomMatrix(2, 4, rng);
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
}

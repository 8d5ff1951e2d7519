using MnistNotebooks.Layers;

namespace MnistNotebooks.Tests.Layers;

public sealed class ActivationTests
{
    public static TheoryData<string> Kinds => ["sigmoid", "tanh", "relu"];

    private static ILayer Make(string kind) =>
        kind switch
        {
            "sigmoid" => new Sigmoid(),
            "tanh" => new Tanh(),
            _ => new Relu(),
        };

    /// <summary>The oracle, written here in double.</summary>
    private static double Reference(string kind, double x) =>
        kind switch
        {
            "sigmoid" => 1 / (1 + Math.Exp(-x)),
            "tanh" => Math.Tanh(x),
            _ => Math.Max(x, 0),
        };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void BackwardMatchesNumericGradientInDouble(string kind)
    {
        var rng = new Random(2);
        ILayer layer = Make(kind);
        Matrix x = Numeric.RandomMatrix(3, 5, rng, scale: 3);
        Matrix g = Numeric.RandomMatrix(3, 5, rng);
        double[] xd = Numeric.ToDouble(x.Data);
        double Loss(double[] v) => v.Select((xi, i) => Reference(kind, xi) * g.Data[i]).Sum();

        Matrix y = layer.Forward(x);
        Numeric.AssertClose(xd.Select(v => Reference(kind, v)).ToArray(), y.Data, 1e-6, 1e-6);
        Matrix dx = layer.Backward(g);
        Numeric.AssertClose(Numeric.Gradient(xd, Loss), dx.Data, 1e-5, 1e-4);
        Assert.Empty(layer.Parameters);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ForwardDoubleMatchesTheReference(string kind)
    {
        double[] x = [-30, -2, -0.5, 0, 0.5, 2, 30];
        double[] y = ((IDoubleForward)Make(kind)).ForwardDouble(x, 1);
        Numeric.AssertClose(x.Select(v => Reference(kind, v)).ToArray(), y, 1e-15, 1e-15);
    }

    [Fact]
    public void HandComputedValues()
    {
        var x = Matrix.FromArray(
            new float[,]
            {
                { -1, 0, 2 },
            }
        );
        Assert.Equal(new float[] { 0, 0, 2 }, new Relu().Forward(x).Data);
        Assert.Equal(0.5f, new Sigmoid().Forward(x).Data[1]);
        Assert.Equal(0f, new Tanh().Forward(x).Data[1]);

        var relu = new Relu();
        relu.Forward(x);
        // The ReLU derivative at exactly 0 is taken as 0.
        Assert.Equal(
            new float[] { 0, 0, 5 },
            relu.Backward(
                Matrix.FromArray(
                    new float[,]
                    {
                        { 5, 5, 5 },
                    }
                )
            ).Data
        );

        var sigmoid = new Sigmoid();
        sigmoid.Forward(x);
        Assert.Equal(
            0.25f,
            sigmoid
                .Backward(
                    Matrix.FromArray(
                        new float[,]
                        {
                            { 1, 1, 1 },
                        }
                    )
                )
                .Data[1]
        );
    }

    [Fact]
    public void SigmoidSaturatesWithoutNaN()
    {
        var y = new Sigmoid().Forward(
            Matrix.FromArray(
                new float[,]
                {
                    { -200, 200 },
                }
            )
        );
        Assert.Equal(new float[] { 0, 1 }, y.Data);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void BackwardChecksShapeAndOrder(string kind)
    {
        ILayer layer = Make(kind);
        Assert.Throws<InvalidOperationException>(() => layer.Backward(new Matrix(2, 3)));
        layer.Forward(new Matrix(2, 3));
        Assert.Throws<ShapeMismatchException>(() => layer.Backward(new Matrix(2, 4)));
    }
}

using MnistNotebooks.Layers;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Tests.Layers;

public sealed class ActivationTests
{
    public static TheoryData<string> Kinds => ["sigmoid", "tanh", "relu"];

    private static Layer<float> Make(string kind) => Make<float>(kind);

    private static Layer<T> Make<T>(string kind)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        kind switch
        {
            "sigmoid" => new Sigmoid<T>(),
            "tanh" => new Tanh<T>(),
            _ => new Relu<T>(),
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
        var rng = new RandomState(2);
        Layer<float> layer = Make(kind);
        Matrix<float> x = Numeric.RandomMatrix(3, 5, rng, scale: 3);
        Matrix<float> g = Numeric.RandomMatrix(3, 5, rng);
        double[] xd = Numeric.ToDouble(x.Data);
        double Loss(double[] v) => v.Select((xi, i) => Reference(kind, xi) * g.Data[i]).Sum();

        Matrix<float> y = layer.Forward(x);
        Numeric.AssertClose(xd.Select(v => Reference(kind, v)).ToArray(), y.Data, 1e-6, 1e-6);
        Matrix<float> dx = layer.Backward(g);
        Numeric.AssertClose(Numeric.Gradient(xd, Loss), dx.Data, 1e-5, 1e-4);
        Assert.Empty(layer.Parameters);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void DoubleLayersEqualTheReferenceExactly(string kind)
    {
        double[] x = [-30, -2, -0.5, 0, 0.5, 2, 30, -800, 800];
        Matrix<double> y = Make<double>(kind).Forward(new Matrix<double>(1, x.Length, x));
        Assert.Equal(x.Select(v => Reference(kind, v)), y.Data);
        Layer<double> converted = Make(kind).Convert<double>();
        Assert.Equal(y.Data, converted.Forward(new Matrix<double>(1, x.Length, x)).Data);
        Assert.Equal(kind, converted.Kind);
    }

    [Fact]
    public void HandComputedValues()
    {
        var x = Matrix<float>.FromArray(
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
                Matrix<float>.FromArray(
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
                    Matrix<float>.FromArray(
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
            Matrix<float>.FromArray(
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
        Layer<float> layer = Make(kind);
        Assert.Throws<InvalidOperationException>(() => layer.Backward(new Matrix<float>(2, 3)));
        layer.Forward(new Matrix<float>(2, 3));
        Assert.Throws<ShapeMismatchException>(() => layer.Backward(new Matrix<float>(2, 4)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void NamesBuffersAndErrors(string kind)
    {
        Layer<float> layer = Make(kind);
        Assert.Equal(kind, layer.Name);
        var ex = Assert.Throws<InvalidOperationException>(() => layer.Backward(new Matrix<float>(1, 1)));
        Assert.Contains($"Backward of '{kind}' was called before Forward", ex.Message);
        Assert.Throws<ArgumentNullException>(() => layer.Forward(null!));
        Matrix<float> y2 = layer.Forward(new Matrix<float>(2, 3));
        Matrix<float> y4 = layer.Forward(new Matrix<float>(4, 3));
        Assert.NotSame(y2, y4);
        Assert.Equal((4, 3), (y4.Rows, y4.Cols));
        Assert.Same(y2, layer.Forward(new Matrix<float>(2, 3)));
        // Backward uses the output of the last Forward, (2, 3) now.
        var shape = Assert.Throws<ShapeMismatchException>(() => layer.Backward(new Matrix<float>(4, 3)));
        Assert.StartsWith("Expected outputGradient (2, 3) but got (4, 3)", shape.Message);
        Matrix<float> dx = layer.Backward(new Matrix<float>(2, 3));
        Assert.Equal((2, 3), (dx.Rows, dx.Cols));
        string type = char.ToUpperInvariant(kind[0]) + kind[1..];
        Assert.Equal($"{kind}: {type}", layer.ToString());
        Assert.Equal($"{kind}: {type}", Make<double>(kind).ToString());
    }

    [Fact]
    public void LayerNamesAreValidated()
    {
        Assert.Throws<ArgumentException>(() => new Relu(""));
        Assert.Throws<ArgumentException>(() => new Tanh(" "));
        Assert.Equal("out", new Sigmoid("out").Name);
        Assert.Equal("out", new Sigmoid("out").Convert<double>().Name);
        Assert.Equal("sigmoid", new Sigmoid<double>().Kind);
    }

    private sealed class Identity(string kind, string? name) : Layer<float>(kind, name)
    {
        public override Matrix<float> Forward(Matrix<float> input) => input;

        public override Matrix<float> Backward(Matrix<float> outputGradient) => outputGradient;

        public override Layer<TOther> Convert<TOther>() => throw new NotSupportedException();

        public Parameter<float> Add(string role, Matrix<float> value) => AddParameter(role, value);
    }

    [Fact]
    public void KindsRolesAndParametersAreValidated()
    {
        Assert.Equal("kind", Assert.Throws<ArgumentNullException>(() => new Identity(null!, null)).ParamName);
        Assert.Equal("kind", Assert.Throws<ArgumentException>(() => new Identity(" ", null)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new Identity("id", "")).ParamName);
        var layer = new Identity("id", null);
        Assert.Equal(("id", "id"), (layer.Name, layer.Kind));
        Assert.Equal("role", Assert.Throws<ArgumentException>(() => layer.Add("", new Matrix<float>(1, 1))).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentNullException>(() => layer.Add("W", null!)).ParamName);
        Parameter<float> p = layer.Add("W", new Matrix<float>(2, 3));
        Assert.Equal(("W", "id.W", 2, 3), (p.Role, p.Name, p.Gradient.Rows, p.Gradient.Cols));
        Assert.Same(p, Assert.Single(layer.Parameters));
        Assert.Equal("id1.W", new Sequential(layer).Parameters[0].Name);
        Assert.Equal("id1: Identity", layer.ToString());
    }
}

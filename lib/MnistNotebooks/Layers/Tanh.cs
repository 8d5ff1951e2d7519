using MnistNotebooks.Kernels;

namespace MnistNotebooks.Layers;

/// <summary>Hyperbolic tangent: Y = tanh(X); dX = dY·(1 − Y²).</summary>
public sealed class Tanh : ILayer, IDoubleForward, IAutoNamed
{
    private readonly BufferCache outputs = new();
    private readonly BufferCache inputGradients = new();
    private Matrix? output;
    private bool autoNamed;

    /// <summary>An activation with no parameters; unnamed, a model names it tanhN by position (tanh1, tanh2, …).</summary>
    public Tanh(string? name = null)
    {
        if (name is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
        }
        autoNamed = name is null;
        Name = name ?? "tanh";
    }

    public string Name { get; private set; }

    public IReadOnlyList<Parameter> Parameters => [];

    /// <summary>Y = tanh(X); X and Y are (batch, n).</summary>
    public Matrix Forward(Matrix input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Matrix y = outputs.Get(input.Rows, input.Cols);
        ElementWise.Tanh(input.Data, y.Data);
        output = y;
        return y;
    }

    /// <summary>dX = dY·(1 − Y²); dY and dX are (batch, n).</summary>
    public Matrix Backward(Matrix outputGradient)
    {
        Matrix y = output ?? throw new InvalidOperationException($"Backward of '{Name}' was called before Forward");
        ShapeMismatchException.ThrowIfNot(outputGradient, y.Rows, y.Cols, "outputGradient");
        Matrix dx = inputGradients.Get(y.Rows, y.Cols);
        // The derivative is written in terms of the output Y, which Forward kept: tanh'(x) = 1 − tanh²(x).
        ElementWise.TanhBackward(y.Data, outputGradient.Data, dx.Data);
        return dx;
    }

    /// <summary>Y = tanh(X) in double, the reference for gradient checks.</summary>
    public double[] ForwardDouble(double[] input, int batch, IReadOnlyDictionary<Parameter, double[]>? values = null)
    {
        DoubleKernels.CheckInput(input, batch, -1, Name);
        var y = new double[input.Length];
        for (int i = 0; i < y.Length; i++)
        {
            double x = input[i];
            y[i] = Math.Tanh(x);
        }
        return y;
    }

    public override string ToString() => $"{Name}: Tanh";

    string IAutoNamed.Kind => "tanh";

    bool IAutoNamed.HasAutoName => autoNamed;

    void IAutoNamed.AssignName(string name)
    {
        Name = name;
        autoNamed = false;
    }
}

using MnistNotebooks.Kernels;

namespace MnistNotebooks.Layers;

/// <summary>Logistic activation: Y = 1 / (1 + e^(−X)); dX = dY·Y·(1 − Y). Saturates (dX ≈ 0) for |X| ≳ 10.</summary>
public sealed class Sigmoid : ILayer, IDoubleForward, IAutoNamed
{
    private readonly BufferCache outputs = new();
    private readonly BufferCache inputGradients = new();
    private Matrix? output;
    private bool autoNamed;

    /// <summary>An activation with no parameters; unnamed, a model names it sigmoidN by position (sigmoid1, sigmoid2, …).</summary>
    public Sigmoid(string? name = null)
    {
        if (name is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
        }
        autoNamed = name is null;
        Name = name ?? "sigmoid";
    }

    public string Name { get; private set; }

    public IReadOnlyList<Parameter> Parameters => [];

    /// <summary>Y = 1 / (1 + e^(−X)); X and Y are (batch, n).</summary>
    public Matrix Forward(Matrix input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Matrix y = outputs.Get(input.Rows, input.Cols);
        ElementWise.Sigmoid(input.Data, y.Data);
        output = y;
        return y;
    }

    /// <summary>dX = dY·Y·(1 − Y); dY and dX are (batch, n).</summary>
    public Matrix Backward(Matrix outputGradient)
    {
        Matrix y = output ?? throw new InvalidOperationException($"Backward of '{Name}' was called before Forward");
        ShapeMismatchException.ThrowIfNot(outputGradient, y.Rows, y.Cols, "outputGradient");
        Matrix dx = inputGradients.Get(y.Rows, y.Cols);
        // The derivative is written in terms of the output Y, which Forward kept: σ'(x) = σ(x)(1 − σ(x)).
        ElementWise.SigmoidBackward(y.Data, outputGradient.Data, dx.Data);
        return dx;
    }

    /// <summary>Y = 1 / (1 + e^(−X)) in double, the reference for gradient checks.</summary>
    public double[] ForwardDouble(double[] input, int batch, IReadOnlyDictionary<Parameter, double[]>? values = null)
    {
        DoubleKernels.CheckInput(input, batch, -1, Name);
        var y = new double[input.Length];
        for (int i = 0; i < y.Length; i++)
        {
            double x = input[i];
            y[i] = 1 / (1 + Math.Exp(-x));
        }
        return y;
    }

    public override string ToString() => $"{Name}: Sigmoid";

    string IAutoNamed.Kind => "sigmoid";

    bool IAutoNamed.HasAutoName => autoNamed;

    void IAutoNamed.AssignName(string name)
    {
        Name = name;
        autoNamed = false;
    }
}

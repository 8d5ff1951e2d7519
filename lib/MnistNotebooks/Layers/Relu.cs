using MnistNotebooks.Kernels;

namespace MnistNotebooks.Layers;

/// <summary>Rectified linear unit: Y = max(X, 0); dX = dY where X &gt; 0, else 0 (also at X = 0).</summary>
public sealed class Relu : ILayer, IDoubleForward, IAutoNamed
{
    private readonly BufferCache outputs = new();
    private readonly BufferCache inputGradients = new();
    private Matrix? output;
    private bool autoNamed;

    /// <summary>An activation with no parameters; unnamed, a model names it reluN by position (relu1, relu2, …).</summary>
    public Relu(string? name = null)
    {
        if (name is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
        }
        autoNamed = name is null;
        Name = name ?? "relu";
    }

    public string Name { get; private set; }

    public IReadOnlyList<Parameter> Parameters => [];

    /// <summary>Y = max(X, 0); X and Y are (batch, n).</summary>
    public Matrix Forward(Matrix input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Matrix y = outputs.Get(input.Rows, input.Cols);
        ElementWise.Relu(input.Data, y.Data);
        output = y;
        return y;
    }

    /// <summary>dX = dY where X &gt; 0, else 0; dY and dX are (batch, n).</summary>
    public Matrix Backward(Matrix outputGradient)
    {
        Matrix y = output ?? throw new InvalidOperationException($"Backward of '{Name}' was called before Forward");
        ShapeMismatchException.ThrowIfNot(outputGradient, y.Rows, y.Cols, "outputGradient");
        Matrix dx = inputGradients.Get(y.Rows, y.Cols);
        // Y > 0 exactly where X > 0, so the output Forward kept is enough: no reference to the caller's X.
        ElementWise.ReluBackward(y.Data, outputGradient.Data, dx.Data);
        return dx;
    }

    /// <summary>Y = max(X, 0) in double, the reference for gradient checks.</summary>
    public double[] ForwardDouble(double[] input, int batch, IReadOnlyDictionary<Parameter, double[]>? values = null)
    {
        DoubleKernels.CheckInput(input, batch, -1, Name);
        var y = new double[input.Length];
        for (int i = 0; i < y.Length; i++)
        {
            double x = input[i];
            y[i] = x > 0 ? x : 0;
        }
        return y;
    }

    public override string ToString() => $"{Name}: Relu";

    string IAutoNamed.Kind => "relu";

    bool IAutoNamed.HasAutoName => autoNamed;

    void IAutoNamed.AssignName(string name)
    {
        Name = name;
        autoNamed = false;
    }
}

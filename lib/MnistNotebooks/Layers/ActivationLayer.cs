namespace MnistNotebooks.Layers;

/// <summary>An element-wise activation whose derivative is a function of its output: Y = f(X); dX = dY ⊙ f'(Y).
/// Does the bookkeeping (buffers per batch shape, the cached output, shape checks, naming); a subclass gives f,
/// f' in terms of Y, and f in double for gradient checks.</summary>
public abstract class ActivationLayer : ILayer, IDoubleForward, IAutoNamed
{
    private readonly BufferCache outputs = new();
    private readonly BufferCache inputGradients = new();
    private readonly string kind;
    private Matrix? output;
    private bool autoNamed;

    /// <param name="kind">The lower-case kind, e.g. <c>relu</c>: the default name and the prefix of automatic names (relu1, relu2, …).</param>
    /// <param name="name">A name to keep; null lets the model name it by position.</param>
    private protected ActivationLayer(string kind, string? name)
    {
        if (name is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
        }
        this.kind = kind;
        autoNamed = name is null;
        Name = name ?? kind;
    }

    public string Name { get; private set; }

    public IReadOnlyList<Parameter> Parameters => [];

    /// <summary>Y = f(X); X and Y are (batch, n).</summary>
    public Matrix Forward(Matrix input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Matrix y = outputs.Get(input.Rows, input.Cols);
        Apply(input.Data, y.Data);
        output = y;
        return y;
    }

    /// <summary>dX = dY ⊙ f'(Y); dY and dX are (batch, n).</summary>
    public Matrix Backward(Matrix outputGradient)
    {
        Matrix y = output ?? throw new InvalidOperationException($"Backward of '{Name}' was called before Forward");
        ShapeMismatchException.ThrowIfNot(outputGradient, y.Rows, y.Cols, "outputGradient");
        Matrix dx = inputGradients.Get(y.Rows, y.Cols);
        // Written in terms of the output Y, which Forward kept: no reference to the caller's X is needed.
        ApplyBackward(y.Data, outputGradient.Data, dx.Data);
        return dx;
    }

    /// <summary>Y = f(X) in double, the reference for gradient checks.</summary>
    public double[] ForwardDouble(double[] input, int batch, IReadOnlyDictionary<Parameter, double[]>? values = null)
    {
        DoubleKernels.CheckInput(input, batch, -1, Name);
        var y = new double[input.Length];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = ApplyDouble(input[i]);
        }
        return y;
    }

    public override string ToString() => $"{Name}: {GetType().Name}";

    /// <summary>y = f(x), element-wise.</summary>
    private protected abstract void Apply(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>dx = dy ⊙ f'(y), element-wise, from the forward output y.</summary>
    private protected abstract void ApplyBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);

    /// <summary>f(x) in double.</summary>
    private protected abstract double ApplyDouble(double x);

    string IAutoNamed.Kind => kind;

    bool IAutoNamed.HasAutoName => autoNamed;

    void IAutoNamed.AssignName(string name)
    {
        Name = name;
        autoNamed = false;
    }
}

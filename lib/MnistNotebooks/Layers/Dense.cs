using MnistNotebooks.Initialization;
using MnistNotebooks.Kernels;

namespace MnistNotebooks.Layers;

/// <summary>Fully connected: Y = X·W + b; X is (batch, inputs), W is (inputs, outputs), b is (1, outputs).
/// Backward: dX = dY·Wᵀ, dW += Xᵀ·dY, db += Σ_rows dY.</summary>
/// <remarks>Forward keeps a reference to X (not a copy): do not overwrite it before Backward.</remarks>
public sealed class Dense : ILayer, IDoubleForward, IAutoNamed, IParameterBackward
{
    private readonly Parameter[] parameters;
    private readonly BufferCache outputs = new();
    private readonly BufferCache inputGradients = new();
    private Matrix? input;
    private bool autoNamed;

    /// <summary>W (inputs, outputs) filled by <paramref name="weightInit"/> (fan_in = inputs), then b (1, outputs)
    /// by <paramref name="biasInit"/> (zeros when null), both drawing from <paramref name="rng"/> in that order.
    /// <paramref name="useBias"/> false gives Y = X·W with no b (seeds 000 and 001 have none).</summary>
    public Dense(
        int inputs,
        int outputs,
        Initializer weightInit,
        Random rng,
        Initializer? biasInit = null,
        string? name = null,
        bool useBias = true
    )
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        ArgumentNullException.ThrowIfNull(weightInit);
        ArgumentNullException.ThrowIfNull(rng);
        if (name is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
        }
        Inputs = inputs;
        Outputs = outputs;
        autoNamed = name is null;
        Name = name ?? "dense";
        Weights = new Parameter(Name + ".W", weightInit.Create(inputs, outputs, rng));
        if (useBias)
        {
            Bias = new Parameter(Name + ".b", (biasInit ?? new Zeros()).Create(1, outputs, rng));
            parameters = [Weights, Bias];
        }
        else
        {
            parameters = [Weights];
        }
    }

    public string Name { get; private set; }

    public int Inputs { get; }

    public int Outputs { get; }

    /// <summary>W, (inputs, outputs); its parameter is named <c>{Name}.W</c>.</summary>
    public Parameter Weights { get; }

    /// <summary>b, (1, outputs), named <c>{Name}.b</c>; null when built with useBias: false.</summary>
    public Parameter? Bias { get; }

    public IReadOnlyList<Parameter> Parameters => parameters;

    /// <summary>Y = X·W + b; X is (batch, inputs), Y is (batch, outputs).</summary>
    public Matrix Forward(Matrix input)
    {
        ShapeMismatchException.ThrowIfNot(input, -1, Inputs, "input", "batch");
        Matrix y = outputs.Get(input.Rows, Outputs);
        MatMul.Multiply(input, Weights.Value, y);
        if (Bias is not null)
        {
            ElementWise.AddRowVector(y, Bias.Value.Data);
        }
        this.input = input;
        return y;
    }

    /// <summary>dX = dY·Wᵀ, dW += Xᵀ·dY, db += Σ_rows dY; dY is (batch, outputs), dX is (batch, inputs).</summary>
    public Matrix Backward(Matrix outputGradient)
    {
        Matrix x = BackwardParameters(outputGradient);
        Matrix dx = inputGradients.Get(x.Rows, Inputs);
        MatMul.MultiplyTransposeB(outputGradient, Weights.Value, dx);
        return dx;
    }

    /// <summary>dW += Xᵀ·dY, db += Σ_rows dY and no dX: for the first layer, whose input gradient nobody reads.</summary>
    public void BackwardParametersOnly(Matrix outputGradient) => BackwardParameters(outputGradient);

    private Matrix BackwardParameters(Matrix outputGradient)
    {
        Matrix x = input ?? throw new InvalidOperationException($"Backward of '{Name}' was called before Forward");
        ShapeMismatchException.ThrowIfNot(outputGradient, x.Rows, Outputs, "outputGradient");
        MatMul.MultiplyTransposeA(x, outputGradient, Weights.Gradient, accumulate: true);
        if (Bias is not null)
        {
            ElementWise.SumRows(outputGradient, Bias.Gradient.Data, accumulate: true);
        }
        return x;
    }

    /// <summary>Y = X·W + b in double, the reference for gradient checks.</summary>
    /// <remarks>Skips zero inputs (most MNIST pixels): exact unless W holds ±∞ or NaN.</remarks>
    public double[] ForwardDouble(double[] input, int batch, IReadOnlyDictionary<Parameter, double[]>? values = null)
    {
        DoubleKernels.CheckInput(input, batch, Inputs, Name);
        double[] w = DoubleKernels.Values(Weights, values);
        double[]? b = Bias is null ? null : DoubleKernels.Values(Bias, values);
        var y = new double[batch * Outputs];
        for (int r = 0; r < batch; r++)
        {
            Span<double> row = y.AsSpan(r * Outputs, Outputs);
            b?.CopyTo(row);
            for (int k = 0; k < Inputs; k++)
            {
                double xk = input[r * Inputs + k];
                if (xk != 0)
                {
                    DoubleKernels.AddScaled(row, xk, w.AsSpan(k * Outputs, Outputs));
                }
            }
        }
        return y;
    }

    public override string ToString() =>
        FormattableString.Invariant($"{Name}: Dense({Inputs} → {Outputs}{(Bias is null ? ", no bias" : "")})");

    string IAutoNamed.Kind => "dense";

    bool IAutoNamed.HasAutoName => autoNamed;

    void IAutoNamed.AssignName(string name)
    {
        Name = name;
        Weights.Name = name + ".W";
        if (Bias is not null)
        {
            Bias.Name = name + ".b";
        }
        autoNamed = false;
    }
}

using System.Numerics;
using MnistNotebooks.Initialization;
using MnistNotebooks.Kernels;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Layers;

/// <summary>Fully connected: Y = X·W + b; X is (batch, inputs), W is (inputs, outputs), b is (1, outputs).
/// Backward: dX = dY·Wᵀ, dW += Xᵀ·dY, db += Σ_rows dY.</summary>
/// <remarks>Forward keeps a reference to X (not a copy): do not overwrite it before Backward.</remarks>
public class Dense<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> outputs = new();
    private readonly BufferCache<T> inputGradients = new();
    private Matrix<T>? input;

    /// <summary>W (inputs, outputs) filled by <paramref name="weights"/> (He when null; fan_in = inputs), then b (1, outputs)
    /// by <paramref name="bias"/> (zeros when null), both drawing from <paramref name="rng"/> in that order.
    /// <paramref name="useBias"/> false gives Y = X·W with no b.</summary>
    public Dense(
        int inputs,
        int outputs,
        RandomState rng,
        Initializer? weights = null,
        Initializer? bias = null,
        bool useBias = true,
        string? name = null
    )
        : base("dense", name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        ArgumentNullException.ThrowIfNull(rng);
        Weights = AddParameter("W", (weights ?? new He()).Create<T>(inputs, outputs, rng));
        Bias = useBias ? AddParameter("b", (bias ?? new Zeros()).Create<T>(1, outputs, rng)) : null;
    }

    /// <summary>A layer over the given W (inputs, outputs) and b (1, outputs) or no b; both are used as they are, not copied.</summary>
    public Dense(Matrix<T> weights, Matrix<T>? bias = null, string? name = null)
        : base("dense", name)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(weights.Rows, 1, nameof(weights));
        ArgumentOutOfRangeException.ThrowIfLessThan(weights.Cols, 1, nameof(weights));
        if (bias is not null)
        {
            ShapeMismatchException.ThrowIfNot(bias, 1, weights.Cols, nameof(bias));
        }
        Weights = AddParameter("W", weights);
        Bias = bias is null ? null : AddParameter("b", bias);
    }

    public int Inputs => Weights.Value.Rows;

    public int Outputs => Weights.Value.Cols;

    /// <summary>W, (inputs, outputs), named <c>{Name}.W</c>.</summary>
    public Parameter<T> Weights { get; }

    /// <summary>b, (1, outputs), named <c>{Name}.b</c>; null for a layer without bias.</summary>
    public Parameter<T>? Bias { get; }

    /// <summary>Y = X·W + b; X is (batch, inputs), Y is (batch, outputs).</summary>
    public override Matrix<T> Forward(Matrix<T> input)
    {
        ShapeMismatchException.ThrowIfNot(input, -1, Inputs, "input", "batch");
        Matrix<T> y = outputs.Get(input.Rows, Outputs);
        MatMul.Multiply(input, Weights.Value, y);
        if (Bias is not null)
        {
            ElementWise.AddRowVector(y, Bias.Value.Data);
        }
        this.input = input;
        return y;
    }

    /// <summary>dX = dY·Wᵀ, dW += Xᵀ·dY, db += Σ_rows dY; dY is (batch, outputs), dX is (batch, inputs).</summary>
    public override Matrix<T> Backward(Matrix<T> outputGradient)
    {
        Matrix<T> x = BackwardParametersOnly(outputGradient);
        Matrix<T> dx = inputGradients.Get(x.Rows, Inputs);
        MatMul.MultiplyTransposeB(outputGradient, Weights.Value, dx);
        return dx;
    }

    /// <summary>dW += Xᵀ·dY, db += Σ_rows dY and no dX (a third of the work): for a first layer, whose input gradient
    /// nobody reads. Returns the cached X.</summary>
    public Matrix<T> BackwardParametersOnly(Matrix<T> outputGradient)
    {
        Matrix<T> x = input ?? throw new InvalidOperationException($"Backward of '{Name}' was called before Forward");
        ShapeMismatchException.ThrowIfNot(outputGradient, x.Rows, Outputs, "outputGradient");
        Matrix<T> dw = Weights.TakeGradientToAdd(out bool overwriteW);
        MatMul.MultiplyTransposeA(x, outputGradient, dw, accumulate: !overwriteW);
        if (Bias is not null)
        {
            Matrix<T> db = Bias.TakeGradientToAdd(out bool overwriteB);
            ElementWise.SumRows(outputGradient, db.Data, accumulate: !overwriteB);
        }
        return x;
    }

    public override Layer<TOther> Convert<TOther>() =>
        new Dense<TOther>(Weights.Value.Convert<TOther>(), Bias?.Value.Convert<TOther>(), NameForCopy);

    public override string ToString() =>
        FormattableString.Invariant($"{Name}: Dense({Inputs} → {Outputs}{(Bias is null ? ", no bias" : "")})");
}

/// <summary><see cref="Dense{T}"/> in float32, the usual case: <c>new Dense(784, 300, rng)</c>.</summary>
public sealed class Dense : Dense<float>
{
    /// <inheritdoc cref="Dense{T}(int, int, RandomState, Initializer?, Initializer?, bool, string?)"/>
    public Dense(
        int inputs,
        int outputs,
        RandomState rng,
        Initializer? weights = null,
        Initializer? bias = null,
        bool useBias = true,
        string? name = null
    )
        : base(inputs, outputs, rng, weights, bias, useBias, name) { }

    /// <inheritdoc cref="Dense{T}(Matrix{T}, Matrix{T}?, string?)"/>
    public Dense(Matrix<float> weights, Matrix<float>? bias = null, string? name = null)
        : base(weights, bias, name) { }
}

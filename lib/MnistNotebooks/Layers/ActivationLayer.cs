using System.Numerics;

namespace MnistNotebooks.Layers;

/// <summary>An element-wise activation whose derivative is a function of its output: Y = f(X); dX = dY ⊙ f'(Y).
/// Does the bookkeeping (buffers per batch shape, the cached output, shape checks); a subclass gives f and f'.</summary>
public abstract class ActivationLayer<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> outputs = new();
    private readonly BufferCache<T> inputGradients = new();
    private Matrix<T>? output;

    private protected ActivationLayer(string kind, string? name)
        : base(kind, name) { }

    /// <summary>Y = f(X); X and Y are (batch, n).</summary>
    public override Matrix<T> Forward(Matrix<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Matrix<T> y = outputs.Get(input.Rows, input.Cols);
        Apply(input.Data, y.Data);
        output = y;
        return y;
    }

    /// <summary>dX = dY ⊙ f'(Y); dY and dX are (batch, n).</summary>
    public override Matrix<T> Backward(Matrix<T> outputGradient)
    {
        Matrix<T> y = output ?? throw new InvalidOperationException($"Backward of '{Name}' was called before Forward");
        ShapeMismatchException.ThrowIfNot(outputGradient, y.Rows, y.Cols, "outputGradient");
        Matrix<T> dx = inputGradients.Get(y.Rows, y.Cols);
        // Written in terms of the output Y, which Forward kept: no reference to the caller's X is needed.
        ApplyBackward(y.Data, outputGradient.Data, dx.Data);
        return dx;
    }

    /// <summary>y = f(x), element-wise.</summary>
    private protected abstract void Apply(ReadOnlySpan<T> x, Span<T> y);

    /// <summary>dx = dy ⊙ f'(y), element-wise, from the forward output y.</summary>
    private protected abstract void ApplyBackward(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx);
}

namespace MnistNotebooks.Layers;

/// <summary>A differentiable block. Forward caches what Backward needs; Backward returns dL/dinput and adds
/// parameter gradients into <see cref="Parameter.Gradient"/> (+=). Returned matrices are owned by the layer
/// and reused by the next call of the same batch size: copy them to keep them.</summary>
public interface ILayer
{
    /// <summary>A name unique within its model, e.g. <c>dense1</c>, used in diagnostics and error messages.</summary>
    string Name { get; }

    /// <summary>Y = f(X); X is (batch, inputs), Y is (batch, outputs).</summary>
    Matrix Forward(Matrix input);

    /// <summary>dX from dY (batch, outputs), using what the last Forward cached; accumulates parameter gradients.</summary>
    Matrix Backward(Matrix outputGradient);

    /// <summary>The trainable parameters (empty for activations).</summary>
    IReadOnlyList<Parameter> Parameters { get; }
}

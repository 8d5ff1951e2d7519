using System.Numerics;
using MnistNotebooks.Layers;

namespace MnistNotebooks.Diagnostics;

/// <summary>What a layer's output is, which decides which statistics mean something: saturation for sigmoid and tanh,
/// dead units for ReLU.</summary>
public enum ActivationKind
{
    /// <summary>Anything else (e.g. a dense layer's pre-activations): only mean, std, min, max.</summary>
    Other,
    Sigmoid,
    Tanh,
    Relu,
}

/// <summary>A layer's <see cref="ActivationKind"/>, from its <see cref="Layer{T}.Kind"/>.</summary>
public static class ActivationKinds
{
    /// <summary><c>sigmoid</c>, <c>tanh</c> or <c>relu</c> in the layer's kind (case-insensitive); otherwise Other.</summary>
    public static ActivationKind Detect<T>(Layer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(layer);
        return layer.Kind.ToUpperInvariant() switch
        {
            "SIGMOID" => ActivationKind.Sigmoid,
            "TANH" => ActivationKind.Tanh,
            "RELU" => ActivationKind.Relu,
            _ => ActivationKind.Other,
        };
    }
}

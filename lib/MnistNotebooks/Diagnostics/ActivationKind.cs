using MnistNotebooks.Layers;

namespace MnistNotebooks.Diagnostics;

/// <summary>What a layer's output is, which decides which statistics mean something:
/// saturation for <see cref="Sigmoid"/> and <see cref="Tanh"/>, dead units for <see cref="Relu"/>.</summary>
public enum ActivationKind
{
    /// <summary>Anything else (e.g. a dense layer's pre-activations): only mean, std, min, max.</summary>
    Other,
    Sigmoid,
    Tanh,
    Relu,
}

/// <summary>Guesses a layer's <see cref="ActivationKind"/> from its type name, then its layer name.</summary>
public static class ActivationKinds
{
    /// <summary><c>Sigmoid</c>, <c>Tanh</c> or <c>Relu</c>/<c>ReLU</c> in the type name (or failing that, the layer name),
    /// case-insensitive; otherwise <see cref="ActivationKind.Other"/>.</summary>
    public static ActivationKind Detect(ILayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ActivationKind kind = FromName(layer.GetType().Name);
        return kind != ActivationKind.Other ? kind : FromName(layer.Name);
    }

    private static ActivationKind FromName(string name) =>
        name.Contains("sigmoid", StringComparison.OrdinalIgnoreCase) ? ActivationKind.Sigmoid
        : name.Contains("tanh", StringComparison.OrdinalIgnoreCase) ? ActivationKind.Tanh
        : name.Contains("relu", StringComparison.OrdinalIgnoreCase) ? ActivationKind.Relu
        : ActivationKind.Other;
}

using MnistNotebooks.Layers;

namespace MnistNotebooks.Optimizers;

/// <summary>Gradient clipping, applied before an update. PLACEHOLDER: the optimizers work implements and tests it.</summary>
public abstract record GradientClipping
{
    /// <summary>Clips the gradients in place; returns the global L2 norm measured before clipping.</summary>
    public abstract double Apply(IReadOnlyList<Parameter> parameters);
}

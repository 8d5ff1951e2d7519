using System.Numerics;
using MnistNotebooks.Kernels;

namespace MnistNotebooks.Layers;

/// <summary>Hyperbolic tangent: Y = tanh(X); dX = dY·(1 − Y²). Saturates for |X| ≳ 5.</summary>
public class Tanh<T>(string? name = null) : ActivationLayer<T>("tanh", name)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => ElementWise.Tanh(x, y);

    // tanh'(x) = 1 − tanh²(x).
    private protected override void ApplyBackward(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) => ElementWise.TanhBackward(y, dy, dx);

    public override Layer<TOther> Convert<TOther>() => new Tanh<TOther>(NameForCopy);
}

/// <summary><see cref="Tanh{T}"/> in float32.</summary>
public sealed class Tanh(string? name = null) : Tanh<float>(name);

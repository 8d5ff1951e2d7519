using System.Numerics;
using MnistNotebooks.Kernels;

namespace MnistNotebooks.Layers;

/// <summary>Logistic activation: Y = 1 / (1 + e^(−X)); dX = dY·Y·(1 − Y). Saturates (dX ≈ 0) for |X| ≳ 10.</summary>
public class Sigmoid<T>(string? name = null) : ActivationLayer<T>("sigmoid", name)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => ElementWise.Sigmoid(x, y);

    // σ'(x) = σ(x)(1 − σ(x)).
    private protected override void ApplyBackward(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) =>
        ElementWise.SigmoidBackward(y, dy, dx);

    public override Layer<TOther> Convert<TOther>() => new Sigmoid<TOther>(NameForCopy);
}

/// <summary><see cref="Sigmoid{T}"/> in float32.</summary>
public sealed class Sigmoid(string? name = null) : Sigmoid<float>(name);

using System.Numerics;
using MnistNotebooks.Kernels;

namespace MnistNotebooks.Layers;

/// <summary>Rectified linear unit: Y = max(X, 0) with NaN kept (as numpy and PyTorch); dX = dY where X &gt; 0, else 0
/// (also at X = 0).</summary>
public class Relu<T>(string? name = null) : ActivationLayer<T>("relu", name)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => ElementWise.Relu(x, y);

    // Y > 0 exactly where X > 0, so the output is enough.
    private protected override void ApplyBackward(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) => ElementWise.ReluBackward(y, dy, dx);

    public override Layer<TOther> Convert<TOther>() => new Relu<TOther>(NameForCopy);
}

/// <summary><see cref="Relu{T}"/> in float32.</summary>
public sealed class Relu(string? name = null) : Relu<float>(name);

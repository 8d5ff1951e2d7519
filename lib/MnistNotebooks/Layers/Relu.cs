using MnistNotebooks.Kernels;

namespace MnistNotebooks.Layers;

/// <summary>Rectified linear unit: Y = max(X, 0); dX = dY where X &gt; 0, else 0 (also at X = 0).</summary>
public sealed class Relu(string? name = null) : ActivationLayer("relu", name)
{
    private protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => ElementWise.Relu(x, y);

    // Y > 0 exactly where X > 0, so the output is enough.
    private protected override void ApplyBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) =>
        ElementWise.ReluBackward(y, dy, dx);

    private protected override double ApplyDouble(double x) => x > 0 ? x : 0;
}

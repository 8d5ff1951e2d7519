using MnistNotebooks.Kernels;

namespace MnistNotebooks.Layers;

/// <summary>Hyperbolic tangent: Y = tanh(X); dX = dY·(1 − Y²). Saturates for |X| ≳ 5.</summary>
public sealed class Tanh(string? name = null) : ActivationLayer("tanh", name)
{
    private protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => ElementWise.Tanh(x, y);

    // tanh'(x) = 1 − tanh²(x).
    private protected override void ApplyBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) =>
        ElementWise.TanhBackward(y, dy, dx);

    private protected override double ApplyDouble(double x) => Math.Tanh(x);
}

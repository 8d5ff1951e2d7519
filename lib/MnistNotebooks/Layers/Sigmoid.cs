using MnistNotebooks.Kernels;

namespace MnistNotebooks.Layers;

/// <summary>Logistic activation: Y = 1 / (1 + e^(−X)); dX = dY·Y·(1 − Y). Saturates (dX ≈ 0) for |X| ≳ 10.</summary>
public sealed class Sigmoid(string? name = null) : ActivationLayer("sigmoid", name)
{
    private protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => ElementWise.Sigmoid(x, y);

    // σ'(x) = σ(x)(1 − σ(x)).
    private protected override void ApplyBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) =>
        ElementWise.SigmoidBackward(y, dy, dx);

    private protected override double ApplyDouble(double x) => 1 / (1 + Math.Exp(-x));
}

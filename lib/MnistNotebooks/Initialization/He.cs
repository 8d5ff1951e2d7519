using MnistNotebooks.Randomness;

namespace MnistNotebooks.Initialization;

/// <summary>He (Kaiming) normal: N(0, 2 / fan_in), std = √(2 / fan_in) with fan_in = rows of W (He et al. 2015; keeps
/// the scale of ReLU activations from layer to layer).</summary>
public sealed record He : Initializer
{
    protected override double[] Draw(int rows, int cols, RandomState rng) =>
        DrawNormal(rows * cols, rng, 0, Math.Sqrt(2.0 / Math.Max(rows, 1)));
}

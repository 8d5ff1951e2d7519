using MnistNotebooks.Randomness;

namespace MnistNotebooks.Initialization;

/// <summary>All zeros, drawing nothing: right for biases; for weights every unit of a layer then stays identical.</summary>
public sealed record Zeros : Initializer
{
    protected override double[] Draw(int rows, int cols, RandomState rng) => new double[rows * cols];
}

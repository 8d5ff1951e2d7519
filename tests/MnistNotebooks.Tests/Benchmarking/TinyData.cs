namespace MnistNotebooks.Tests.Benchmarking;

/// <summary>A small stand-in for MNIST for the benchmark's tests: uniform pixels in [0, 1) and labels 0, 1, 2 in turn.</summary>
internal static class TinyData
{
    internal static (Matrix<float> X, int[] Y) Create(int rows, int features, int seed)
    {
        var rng = new Random(seed);
        var x = new Matrix<float>(rows, features);
        for (int i = 0; i < x.Length; i++)
        {
            x.Data[i] = (float)rng.NextDouble();
        }
        return (x, [.. Enumerable.Range(0, rows).Select(i => i % 3)]);
    }
}

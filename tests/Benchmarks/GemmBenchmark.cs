using System.Diagnostics;
using MnistNotebooks;
using MnistNotebooks.Kernels;

namespace Benchmarks;

/// <summary>One product to time: C = op(A)·op(B) with C (M, N) and a sum over K, in one of backprop's three forms.</summary>
internal sealed record GemmShape(string Kind, int M, int K, int N)
{
    /// <summary>The shapes of gemm_bench.py that we compare: 1024³ and the 784-300-10 layers at batch 128.</summary>
    public static IReadOnlyList<GemmShape> All { get; } =
    [
        new("square", 1024, 1024, 1024),
        new("fwd", 128, 784, 300),
        new("dW", 784, 128, 300),
        new("dX", 128, 300, 784),
        new("fwd", 128, 300, 10),
        new("dW", 300, 128, 10),
        new("dX", 128, 10, 300),
    ];

    public string Label =>
        Kind switch
        {
            "fwd" => $"fwd X·W ({M}×{K})·({K}×{N})",
            "dW" => $"dW Xᵀ·dY ({M}×{K})·({K}×{N})",
            "dX" => $"dX dY·Wᵀ ({M}×{K})·({K}×{N})",
            _ => $"square {M}",
        };

    public double Flops => 2.0 * M * N * K;
}

/// <summary>GFLOP/s of <see cref="MatMul"/>: the median of <c>reps</c> timed batches, each long enough to time.</summary>
internal static class GemmBenchmark
{
    public static double Measure(GemmShape s, int threads, int reps, double minSeconds)
    {
        Parallelism.MaxThreads = threads;
        var rng = new MnistNotebooks.Randomness.RandomState(0);
        // Stored as the layer's backward pass stores them: dW reads X (batch, in) transposed, dX reads W (in, out) transposed.
        (Matrix<float> a, Matrix<float> b) = s.Kind switch
        {
            "dW" => (Random(s.K, s.M, rng), Random(s.K, s.N, rng)),
            "dX" => (Random(s.M, s.K, rng), Random(s.N, s.K, rng)),
            _ => (Random(s.M, s.K, rng), Random(s.K, s.N, rng)),
        };
        var c = new Matrix<float>(s.M, s.N);
        Action run = s.Kind switch
        {
            "dW" => () => MatMul.MultiplyTransposeA(a, b, c),
            "dX" => () => MatMul.MultiplyTransposeB(a, b, c),
            _ => () => MatMul.Multiply(a, b, c),
        };
        for (int i = 0; i < 3; i++)
        {
            run();
        }
        int calls = 1;
        while (true)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                run();
            }
            if (Stopwatch.GetElapsedTime(t0).TotalSeconds >= minSeconds)
            {
                break;
            }
            calls *= 2;
        }
        var rates = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                run();
            }
            rates[r] = s.Flops * calls / Stopwatch.GetElapsedTime(t0).TotalSeconds / 1e9;
        }
        return Stats.Median(rates);
    }

    private static Matrix<float> Random(int rows, int cols, MnistNotebooks.Randomness.RandomState rng)
    {
        var m = new Matrix<float>(rows, cols);
        for (int i = 0; i < m.Length; i++)
        {
            m.Data[i] = (float)(rng.RandomSample() * 2 - 1);
        }
        return m;
    }
}

internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        double[] v = values.Order().ToArray();
        if (v.Length == 0)
        {
            return double.NaN;
        }
        return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[(v.Length / 2) - 1] + v[v.Length / 2]);
    }
}

using System.Diagnostics;
using System.Numerics;
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

/// <summary>GFLOP/s of <see cref="MatMul"/> in float or double: the median of <c>reps</c> timed batches, each long enough
/// to time, after checking the fast kernel against its reference loop on the same operands.</summary>
internal static class GemmBenchmark
{
    /// <summary>precision is "float32" or "float64", as numpy names them.</summary>
    public static double Measure(GemmShape s, string precision, int threads, int reps, double minSeconds) =>
        precision == "float64" ? Measure<double>(s, threads, reps, minSeconds) : Measure<float>(s, threads, reps, minSeconds);

    public static double Measure<T>(GemmShape s, int threads, int reps, double minSeconds)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Parallelism.MaxThreads = threads;
        var rng = new MnistNotebooks.Randomness.RandomState(0);
        // Stored as the layer's backward pass stores them: dW reads X (batch, in) transposed, dX reads W (in, out) transposed.
        (Matrix<T> a, Matrix<T> b) = s.Kind switch
        {
            "dW" => (Random<T>(s.K, s.M, rng), Random<T>(s.K, s.N, rng)),
            "dX" => (Random<T>(s.M, s.K, rng), Random<T>(s.N, s.K, rng)),
            _ => (Random<T>(s.M, s.K, rng), Random<T>(s.K, s.N, rng)),
        };
        var c = new Matrix<T>(s.M, s.N);
        Action run = s.Kind switch
        {
            "dW" => () => MatMul.MultiplyTransposeA(a, b, c),
            "dX" => () => MatMul.MultiplyTransposeB(a, b, c),
            _ => () => MatMul.Multiply(a, b, c),
        };
        Validate(s, a, b, c, run);
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

    /// <summary>Throws unless the fast product matches the reference loop within k·ε·Σ|a||b| per element (both sum the
    /// same k products, in different orders): a kernel that is fast but wrong is never timed.</summary>
    private static void Validate<T>(GemmShape s, Matrix<T> a, Matrix<T> b, Matrix<T> c, Action run)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var expected = new Matrix<T>(s.M, s.N);
        var magnitude = new Matrix<T>(s.M, s.N);
        Matrix<T> absA = Abs(a),
            absB = Abs(b);
        switch (s.Kind)
        {
            case "dW":
                MatMul.MultiplyTransposeAReference(a, b, expected);
                MatMul.MultiplyTransposeAReference(absA, absB, magnitude);
                break;
            case "dX":
                MatMul.MultiplyTransposeBReference(a, b, expected);
                MatMul.MultiplyTransposeBReference(absA, absB, magnitude);
                break;
            default:
                MatMul.MultiplyReference(a, b, expected);
                MatMul.MultiplyReference(absA, absB, magnitude);
                break;
        }
        run();
        double epsilon = typeof(T) == typeof(double) ? 2.3e-16 : 1.2e-7; // unit roundoff, with a factor 2 of margin
        for (int i = 0; i < c.Length; i++)
        {
            double error = Math.Abs(double.CreateTruncating(c.Data[i]) - double.CreateTruncating(expected.Data[i]));
            double tolerance = (s.K + 2) * epsilon * double.CreateTruncating(magnitude.Data[i]);
            if (!(error <= tolerance))
            {
                throw new InvalidOperationException(
                    $"{typeof(T).Name} {s.Label}: C[{i / s.N}, {i % s.N}] = {c.Data[i]} but the reference gives {expected.Data[i]} (tolerance {tolerance:g3}); not timed"
                );
            }
        }
    }

    private static Matrix<T> Abs<T>(Matrix<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => new(x.Rows, x.Cols, [.. x.Data.Select(T.Abs)]);

    private static Matrix<T> Random<T>(int rows, int cols, MnistNotebooks.Randomness.RandomState rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = new Matrix<T>(rows, cols);
        for (int i = 0; i < m.Length; i++)
        {
            m.Data[i] = T.CreateTruncating(rng.RandomSample() * 2 - 1);
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

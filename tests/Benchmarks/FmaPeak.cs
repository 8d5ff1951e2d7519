using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Benchmarks;

/// <summary>The machine's peak of float32 fused multiply-adds: each thread runs ten independent FMA chains
/// at the widest vector width the JIT accelerates (ten, so that they fit the 16 registers of AVX2 with the two
/// constants: a 16-chain C loop spills there and measures half the peak). GFLOP/s = 2 · lanes · chains · iterations /
/// seconds, the best of <c>reps</c> runs, all threads started together: a peak is what the hardware can do, and on a
/// shared machine other work only ever slows a run (the median of five gave 268.6 GFLOP/s on two threads of a busy
/// host whose idle figure is 529).</summary>
internal static class FmaPeak
{
    private const long Iterations = 100_000_000; // about 0.15 s at AVX2's peak: long beside a thread's start

    public static double Measure(int threads, int reps = 5)
    {
        var runs = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            using var start = new Barrier(threads);
            var workers = new Thread[threads];
            long t0 = 0;
            double sink = 0;
            for (int t = 0; t < threads; t++)
            {
                workers[t] = new Thread(() =>
                {
                    start.SignalAndWait();
                    if (Interlocked.CompareExchange(ref t0, Stopwatch.GetTimestamp(), 0) == 0) { }
                    double s = Chains();
                    lock (workers)
                    {
                        sink += s;
                    }
                });
                workers[t].Start();
            }
            foreach (Thread w in workers)
            {
                w.Join();
            }
            double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            int lanes =
                (
                    Vector512.IsHardwareAccelerated ? 64
                    : Vector256.IsHardwareAccelerated ? 32
                    : 16
                ) / 4;
            runs[r] = 2.0 * lanes * 10 * Iterations * threads / seconds / 1e9 + (sink == 42 ? 1e-300 : 0);
        }
        return runs.Max();
    }

    private static float Chains() =>
        Vector512.IsHardwareAccelerated ? Run512()
        : Vector256.IsHardwareAccelerated ? Run256()
        : Run128();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Run512()
    {
        Vector512<float> m = Vector512.Create(0.999999f),
            a = Vector512.Create(1e-7f);
        Vector512<float> c0 = Vector512.Create(1f),
            c1 = c0 + a,
            c2 = c1 + a,
            c3 = c2 + a,
            c4 = c3 + a;
        Vector512<float> c5 = c4 + a,
            c6 = c5 + a,
            c7 = c6 + a,
            c8 = c7 + a,
            c9 = c8 + a;
        for (long i = 0; i < Iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, a);
            c1 = Vector512.FusedMultiplyAdd(c1, m, a);
            c2 = Vector512.FusedMultiplyAdd(c2, m, a);
            c3 = Vector512.FusedMultiplyAdd(c3, m, a);
            c4 = Vector512.FusedMultiplyAdd(c4, m, a);
            c5 = Vector512.FusedMultiplyAdd(c5, m, a);
            c6 = Vector512.FusedMultiplyAdd(c6, m, a);
            c7 = Vector512.FusedMultiplyAdd(c7, m, a);
            c8 = Vector512.FusedMultiplyAdd(c8, m, a);
            c9 = Vector512.FusedMultiplyAdd(c9, m, a);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Run256()
    {
        Vector256<float> m = Vector256.Create(0.999999f),
            a = Vector256.Create(1e-7f);
        Vector256<float> c0 = Vector256.Create(1f),
            c1 = c0 + a,
            c2 = c1 + a,
            c3 = c2 + a,
            c4 = c3 + a;
        Vector256<float> c5 = c4 + a,
            c6 = c5 + a,
            c7 = c6 + a,
            c8 = c7 + a,
            c9 = c8 + a;
        for (long i = 0; i < Iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, m, a);
            c1 = Vector256.FusedMultiplyAdd(c1, m, a);
            c2 = Vector256.FusedMultiplyAdd(c2, m, a);
            c3 = Vector256.FusedMultiplyAdd(c3, m, a);
            c4 = Vector256.FusedMultiplyAdd(c4, m, a);
            c5 = Vector256.FusedMultiplyAdd(c5, m, a);
            c6 = Vector256.FusedMultiplyAdd(c6, m, a);
            c7 = Vector256.FusedMultiplyAdd(c7, m, a);
            c8 = Vector256.FusedMultiplyAdd(c8, m, a);
            c9 = Vector256.FusedMultiplyAdd(c9, m, a);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Run128()
    {
        Vector128<float> m = Vector128.Create(0.999999f),
            a = Vector128.Create(1e-7f);
        Vector128<float> c0 = Vector128.Create(1f),
            c1 = c0 + a,
            c2 = c1 + a,
            c3 = c2 + a,
            c4 = c3 + a;
        Vector128<float> c5 = c4 + a,
            c6 = c5 + a,
            c7 = c6 + a,
            c8 = c7 + a,
            c9 = c8 + a;
        for (long i = 0; i < Iterations; i++)
        {
            c0 = Vector128.FusedMultiplyAdd(c0, m, a);
            c1 = Vector128.FusedMultiplyAdd(c1, m, a);
            c2 = Vector128.FusedMultiplyAdd(c2, m, a);
            c3 = Vector128.FusedMultiplyAdd(c3, m, a);
            c4 = Vector128.FusedMultiplyAdd(c4, m, a);
            c5 = Vector128.FusedMultiplyAdd(c5, m, a);
            c6 = Vector128.FusedMultiplyAdd(c6, m, a);
            c7 = Vector128.FusedMultiplyAdd(c7, m, a);
            c8 = Vector128.FusedMultiplyAdd(c8, m, a);
            c9 = Vector128.FusedMultiplyAdd(c9, m, a);
        }
        return Vector128.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9);
    }
}

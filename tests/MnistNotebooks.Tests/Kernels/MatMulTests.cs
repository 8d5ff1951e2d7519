using System.Numerics;
using MnistNotebooks.Kernels;

namespace MnistNotebooks.Tests.Kernels;

[Collection(ParallelismCollection.Name)]
public sealed class MatMulTests
{
    public enum Form
    {
        AB,
        AtB,
        ABt,
    }

    /// <summary>(M, N, K) for the 784-300-10 and 784-512-256-128-64-10 nets at batch 128, forward and backward.</summary>
    public static readonly (int M, int N, int K)[] MlpShapes =
    [
        (128, 300, 784),
        (128, 10, 300),
        (784, 300, 128),
        (300, 10, 128),
        (128, 784, 300),
        (128, 300, 10),
        (128, 512, 784),
        (128, 256, 512),
        (128, 128, 256),
        (128, 64, 128),
        (128, 10, 64),
        (784, 512, 128),
        (512, 256, 128),
        (128, 512, 256),
    ];

    /// <summary>Remainder sizes on each axis, sampled so that each axis sees every size, plus several K-blocks,
    /// several column blocks and several row blocks.</summary>
    public static IEnumerable<(int M, int N, int K)> EdgeShapes()
    {
        int[] s = KernelTestData.Sizes;
        for (int i = 0; i < s.Length; i++)
        {
            yield return (s[i], s[(i * 7 + 3) % s.Length], s[(i * 11 + 5) % s.Length]);
            yield return (s[(i * 5 + 1) % s.Length], s[i], s[(i * 13 + 2) % s.Length]);
            yield return (s[(i * 3 + 4) % s.Length], s[(i * 7 + 9) % s.Length], s[i]);
        }
        yield return (13, 40, 600); // three K-slices
        yield return (7, 1030, 257); // two column blocks, two K-slices
        yield return (250, 20, 30); // three row blocks
        yield return (12, 40, 600); // at most two row tiles: B read in place at 256 bits, three K-slices
        yield return (101, 10, 1100); // narrow C (N ≤ 16): three K-slices, whole and partial row tiles of 6, 8 and 12
        yield return (101, 6, 1100); // narrower than one vector of doubles: the second vector of a row is all padding
    }

    [Theory]
    [InlineData(Form.AB, 0, typeof(float))]
    [InlineData(Form.AB, 256, typeof(float))]
    [InlineData(Form.AB, 128, typeof(float))]
    [InlineData(Form.AtB, 0, typeof(float))]
    [InlineData(Form.AtB, 256, typeof(float))]
    [InlineData(Form.AtB, 128, typeof(float))]
    [InlineData(Form.ABt, 0, typeof(float))]
    [InlineData(Form.ABt, 256, typeof(float))]
    [InlineData(Form.ABt, 128, typeof(float))]
    [InlineData(Form.AB, 0, typeof(double))]
    [InlineData(Form.AB, 256, typeof(double))]
    [InlineData(Form.AB, 128, typeof(double))]
    [InlineData(Form.AtB, 0, typeof(double))]
    [InlineData(Form.AtB, 256, typeof(double))]
    [InlineData(Form.AtB, 128, typeof(double))]
    [InlineData(Form.ABt, 0, typeof(double))]
    [InlineData(Form.ABt, 256, typeof(double))]
    [InlineData(Form.ABt, 128, typeof(double))]
    public void FastMatchesReferenceOnEdgeShapes(Form form, int bits, Type type)
    {
        if (type == typeof(double))
        {
            EdgeShapesAgainstReference<double>(form, bits);
        }
        else
        {
            EdgeShapesAgainstReference<float>(form, bits);
        }
    }

    [Theory]
    [InlineData(Form.AB, typeof(float))]
    [InlineData(Form.AtB, typeof(float))]
    [InlineData(Form.ABt, typeof(float))]
    [InlineData(Form.AB, typeof(double))]
    [InlineData(Form.AtB, typeof(double))]
    [InlineData(Form.ABt, typeof(double))]
    public void FastMatchesReferenceOnMlpShapes(Form form, Type type)
    {
        if (type == typeof(double))
        {
            MlpShapesAgainstReference<double>(form);
        }
        else
        {
            MlpShapesAgainstReference<float>(form);
        }
    }

    [Theory]
    [InlineData(Form.AB, 0, typeof(float))]
    [InlineData(Form.AtB, 0, typeof(float))]
    [InlineData(Form.ABt, 0, typeof(float))]
    [InlineData(Form.AB, 256, typeof(float))]
    [InlineData(Form.ABt, 128, typeof(float))]
    [InlineData(Form.AB, 0, typeof(double))]
    [InlineData(Form.AtB, 0, typeof(double))]
    [InlineData(Form.ABt, 0, typeof(double))]
    [InlineData(Form.AB, 256, typeof(double))]
    [InlineData(Form.ABt, 128, typeof(double))]
    public void ResultsAreBitIdenticalForOneAndTwoThreads(Form form, int bits, Type type)
    {
        if (type == typeof(double))
        {
            BitIdenticalForOneAndTwoThreads<double>(form, bits);
        }
        else
        {
            BitIdenticalForOneAndTwoThreads<float>(form, bits);
        }
    }

    /// <summary>The short tiled loop a learner reads first computes what the triple loop does.</summary>
    [Theory]
    [InlineData(Form.AB, typeof(float))]
    [InlineData(Form.AtB, typeof(float))]
    [InlineData(Form.ABt, typeof(float))]
    [InlineData(Form.AB, typeof(double))]
    [InlineData(Form.AtB, typeof(double))]
    [InlineData(Form.ABt, typeof(double))]
    public void TiledReferenceMatchesTripleLoop(Form form, Type type)
    {
        int seed = 1;
        foreach (var (m, n, k) in EdgeShapes())
        {
            foreach (bool accumulate in new[] { false, true })
            {
                if (type == typeof(double))
                {
                    CheckAgainstReference<double>(form, m, n, k, accumulate, bits: 0, seed++, tiled: true);
                }
                else
                {
                    CheckAgainstReference<float>(form, m, n, k, accumulate, bits: 0, seed++, tiled: true);
                }
            }
        }
    }

    private static void EdgeShapesAgainstReference<T>(Form form, int bits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int seed = 1;
        foreach (var (m, n, k) in EdgeShapes())
        {
            foreach (bool accumulate in new[] { false, true })
            {
                CheckAgainstReference<T>(form, m, n, k, accumulate, bits, seed++);
            }
        }
    }

    private static void MlpShapesAgainstReference<T>(Form form)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int seed = 100;
        foreach (var (m, n, k) in MlpShapes)
        {
            CheckAgainstReference<T>(form, m, n, k, accumulate: seed % 2 == 0, bits: 0, seed++);
        }
    }

    /// <summary>Every path (blocked, transposed C, narrow) at every vector width sums each element's slices as the tiled
    /// reference does, so a seed gives the same weights on an AVX-512, an AVX2 and a NEON machine. Needs hardware FMA
    /// (the reference uses T.FusedMultiplyAdd; without it the kernels multiply and add).</summary>
    [Theory]
    [InlineData(Form.AB, typeof(float))]
    [InlineData(Form.AtB, typeof(float))]
    [InlineData(Form.ABt, typeof(float))]
    [InlineData(Form.AB, typeof(double))]
    [InlineData(Form.AtB, typeof(double))]
    [InlineData(Form.ABt, typeof(double))]
    public void EveryPathAndWidthEqualsTheTiledReferenceBitForBit(Form form, Type type)
    {
        if (!System.Runtime.Intrinsics.X86.Fma.IsSupported && !System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported)
        {
            return;
        }
        if (type == typeof(double))
        {
            SameAsTiled<double>(form);
        }
        else
        {
            SameAsTiled<float>(form);
        }
    }

    private static void SameAsTiled<T>(Form form)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int savedBits = Simd.ForcedBits;
        try
        {
            // The narrow ones (N ≤ 16) take the narrow path at 512 bits and the transposed-C path below it.
            foreach (var (m, n, k) in MlpShapes.Concat([(2000, 10, 300), (1001, 13, 700), (101, 6, 1100), (13, 40, 600), (11, 300, 600)]))
            {
                var (a, b) = Operands<T>(form, m, n, k, seed: (3 * m) + n + k);
                var c0 = KernelTestData.Random<T>(m, n, seed: 11);
                foreach (bool accumulate in new[] { false, true })
                {
                    Matrix<T> expected = c0.Clone();
                    GemmReference.Tiled(a.Data, form == Form.AtB, b.Data, form == Form.ABt, expected.Data, m, n, k, accumulate);
                    foreach (int bits in KernelTestData.Widths)
                    {
                        Simd.ForcedBits = bits;
                        Matrix<T> actual = c0.Clone();
                        Fast(form, a, b, actual, accumulate);
                        Assert.True(
                            expected.Data.AsSpan().SequenceEqual(actual.Data),
                            $"{form} ({m}×{k})·({k}×{n}) accumulate {accumulate}, {(bits == 0 ? Simd.HardwareBits : bits)} bits"
                        );
                    }
                }
            }
        }
        finally
        {
            Simd.ForcedBits = savedBits;
        }
    }

    private static void BitIdenticalForOneAndTwoThreads<T>(Form form, int bits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int saved = Parallelism.MaxThreads;
        int savedBits = Simd.ForcedBits;
        try
        {
            Simd.ForcedBits = bits;
            // The last three are narrow (N ≤ 16) and large enough to be split across threads; 700 needs two K-slices.
            foreach (var (m, n, k) in MlpShapes.Concat([(129, 257, 300), (300, 129, 65), (2000, 10, 300), (1001, 13, 700), (1001, 7, 700)]))
            {
                var (a, b) = Operands<T>(form, m, n, k, seed: m + n + k);
                var c0 = KernelTestData.Random<T>(m, n, seed: 7);
                Parallelism.MaxThreads = 1;
                Matrix<T> one = c0.Clone(),
                    oneAcc = c0.Clone();
                Fast(form, a, b, one, false);
                Fast(form, a, b, oneAcc, true);
                Parallelism.MaxThreads = 2;
                Matrix<T> two = c0.Clone(),
                    twoAcc = c0.Clone();
                Fast(form, a, b, two, false);
                Fast(form, a, b, twoAcc, true);
                Assert.Equal(one.Data, two.Data);
                Assert.Equal(oneAcc.Data, twoAcc.Data);
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
            Simd.ForcedBits = savedBits;
        }
    }

    /// <summary>After the first call has grown the pack buffers, products allocate nothing, in float or double, on one
    /// thread or two, in every form (a training step calls them thousands of times).</summary>
    [Theory]
    [InlineData(typeof(float))]
    [InlineData(typeof(double))]
    public void SteadyStateCallsDoNotAllocate(Type type)
    {
        if (type == typeof(double))
        {
            NoAllocation<double>();
        }
        else
        {
            NoAllocation<float>();
        }
    }

    private static void NoAllocation<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Parallelism.MaxThreads = threads;
                foreach (var (m, n, k) in new[] { (128, 300, 784), (128, 10, 300), (784, 300, 128) })
                {
                    foreach (Form form in Enum.GetValues<Form>())
                    {
                        var (a, b) = Operands<T>(form, m, n, k, seed: 3);
                        var c = new Matrix<T>(m, n);
                        // Warm up as a training epoch would: in the first few calls the runtime itself allocates a
                        // little (seen here: up to 8 KB, in float and double, also with DOTNET_TieredCompilation=0),
                        // and once more when it swaps in optimised code, which on a fast machine can come after the
                        // warm-up (seen: 5.8 KB once). So five windows of five calls: an allocation made by the
                        // product itself shows in every window, the runtime's one-off ones in one.
                        for (int i = 0; i < 40; i++)
                        {
                            Fast(form, a, b, c, i % 2 == 0);
                        }
                        var windows = new List<long>();
                        while (windows.Count < 5 && (windows.Count == 0 || windows[^1] != 0))
                        {
                            long before = GC.GetAllocatedBytesForCurrentThread();
                            for (int i = 0; i < 5; i++)
                            {
                                Fast(form, a, b, c, i % 2 == 0);
                            }
                            windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
                        }
                        Assert.True(
                            windows[^1] == 0,
                            $"{typeof(T).Name} {form} ({m}, {n}, {k}) threads={threads}: bytes allocated in each of "
                                + $"{windows.Count} windows of 5 calls: {string.Join(", ", windows)}"
                        );
                    }
                }
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [Fact]
    public void SmallProductsComputedByHand()
    {
        var a = Matrix<float>.FromArray(
            new float[,]
            {
                { 1, 2, 3 },
                { 4, 5, 6 },
            }
        );
        var b = Matrix<float>.FromArray(
            new float[,]
            {
                { 7, 8 },
                { 9, 10 },
                { 11, 12 },
            }
        );
        var c = new Matrix<float>(2, 2);
        MatMul.Multiply(a, b, c);
        Assert.Equal(new float[] { 58, 64, 139, 154 }, c.Data);
        MatMul.MultiplyTransposeA(a.Transpose(), b, c, accumulate: true);
        Assert.Equal(new float[] { 116, 128, 278, 308 }, c.Data);
        MatMul.MultiplyTransposeB(a, b.Transpose(), c);
        Assert.Equal(new float[] { 58, 64, 139, 154 }, c.Data);
    }

    [Fact]
    public void EmptyInnerDimensionClearsOrKeepsC()
    {
        var c = KernelTestData.Random(3, 4, seed: 1);
        var kept = c.Clone();
        MatMul.Multiply(new Matrix<float>(3, 0), new Matrix<float>(0, 4), c, accumulate: true);
        Assert.Equal(kept.Data, c.Data);
        MatMul.Multiply(new Matrix<float>(3, 0), new Matrix<float>(0, 4), c);
        Assert.All(c.Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ShapeErrorsNameExpectedAndFound()
    {
        var ex = Assert.Throws<ShapeMismatchException>(() =>
            MatMul.Multiply(new Matrix<float>(2, 3), new Matrix<float>(4, 5), new Matrix<float>(2, 5))
        );
        Assert.Contains("A is (2, 3), B is (4, 5) (3 vs 4)", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ShapeMismatchException>(() =>
            MatMul.MultiplyTransposeA(new Matrix<float>(3, 2), new Matrix<float>(3, 5), new Matrix<float>(5, 2))
        );
        Assert.Contains("expected C (2, 5) but got (5, 2)", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ShapeMismatchException>(() =>
            MatMul.MultiplyTransposeB(new Matrix<float>(2, 3), new Matrix<float>(5, 4), new Matrix<float>(2, 5))
        );
        Assert.Contains("(3 vs 4)", ex.Message, StringComparison.Ordinal);
    }

    public delegate void Product(Matrix<float> a, Matrix<float> b, Matrix<float> c, bool accumulate);

    public static TheoryData<string> Products => ["A·B", "Aᵀ·B", "A·Bᵀ", "A·B ref", "Aᵀ·B ref", "A·Bᵀ ref"];

    private static Product Get(string name) =>
        name switch
        {
            "A·B" => MatMul.Multiply,
            "Aᵀ·B" => MatMul.MultiplyTransposeA,
            "A·Bᵀ" => MatMul.MultiplyTransposeB,
            "A·B ref" => MatMul.MultiplyReference,
            "Aᵀ·B ref" => MatMul.MultiplyTransposeAReference,
            _ => MatMul.MultiplyTransposeBReference,
        };

    /// <summary>Every form, fast or reference, names a null operand and both shapes of a mismatch, in its own notation.</summary>
    [Theory]
    [MemberData(nameof(Products))]
    public void EveryFormChecksItsArguments(string name)
    {
        Product product = Get(name);
        string form = name.Split(' ')[0];
        bool transA = form.StartsWith("Aᵀ", StringComparison.Ordinal),
            transB = form.EndsWith("Bᵀ", StringComparison.Ordinal);
        // A is (2, 3) as op(A), B is (3, 4) as op(B): stored transposed when the form says so.
        Matrix<float> a = transA ? new Matrix<float>(3, 2) : new Matrix<float>(2, 3),
            b = transB ? new Matrix<float>(4, 3) : new Matrix<float>(3, 4),
            c = new Matrix<float>(2, 4);
        Assert.Equal("a", Assert.Throws<ArgumentNullException>(() => product(null!, b, c, false)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentNullException>(() => product(a, null!, c, false)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentNullException>(() => product(a, b, null!, false)).ParamName);
        product(a, b, c, false);

        Matrix<float> wrongB = transB ? new Matrix<float>(4, 5) : new Matrix<float>(5, 4);
        var inner = Assert.Throws<ShapeMismatchException>(() => product(a, wrongB, c, false));
        Assert.Equal($"{form}: inner dimensions differ: A is {a.Shape}, B is {wrongB.Shape} (3 vs 5)", inner.Message);
        foreach (Matrix<float> wrongC in new[] { new Matrix<float>(2, 5), new Matrix<float>(3, 4) })
        {
            var output = Assert.Throws<ShapeMismatchException>(() => product(a, b, wrongC, true));
            Assert.Equal("c", output.ParamName);
            Assert.StartsWith($"{form}: expected C (2, 4) but got {wrongC.Shape} (A is {a.Shape}, B is {b.Shape})", output.Message);
        }
    }

    [Fact]
    public void ReferencesByHand()
    {
        // A = [[1, 2, 3], [4, 5, 6]], B = [[7, 8], [9, 10], [11, 12]]: A·B = [[58, 64], [139, 154]].
        var a = new Matrix<double>(2, 3, [1, 2, 3, 4, 5, 6]);
        var b = new Matrix<double>(3, 2, [7, 8, 9, 10, 11, 12]);
        var c = new Matrix<double>(2, 2, [1, 1, 1, 1]);
        MatMul.MultiplyReference(a, b, c);
        Assert.Equal([58, 64, 139, 154], c.Data);
        MatMul.MultiplyTransposeAReference(new Matrix<double>(3, 2, [1, 4, 2, 5, 3, 6]), b, c, accumulate: true);
        Assert.Equal([116, 128, 278, 308], c.Data);
        MatMul.MultiplyTransposeBReference(a, new Matrix<double>(2, 3, [7, 9, 11, 8, 10, 12]), c);
        Assert.Equal([58, 64, 139, 154], c.Data);
        // Aᵀ·B with a non-square A: (3, 2)ᵀ·(3, 1) = [[1·1 + 2·2 + 3·3], [4 + 10 + 18]].
        var col = new Matrix<double>(2, 1);
        MatMul.MultiplyTransposeAReference(new Matrix<double>(3, 2, [1, 4, 2, 5, 3, 6]), new Matrix<double>(3, 1, [1, 2, 3]), col);
        Assert.Equal([14, 32], col.Data);
    }

    private static void CheckAgainstReference<T>(Form form, int m, int n, int k, bool accumulate, int bits, int seed, bool tiled = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (a, b) = Operands<T>(form, m, n, k, seed);
        var c0 = KernelTestData.Random<T>(m, n, seed + 1000);
        var expected = c0.Clone();
        var actual = c0.Clone();
        Reference(form, a, b, expected, accumulate);
        int savedBits = Simd.ForcedBits;
        try
        {
            Simd.ForcedBits = bits;
            if (tiled)
            {
                GemmReference.Tiled(a.Data, form == Form.AtB, b.Data, form == Form.ABt, actual.Data, m, n, k, accumulate);
            }
            else
            {
                Fast(form, a, b, actual, accumulate);
            }
        }
        finally
        {
            Simd.ForcedBits = savedBits;
        }
        // Both sums of k products carry at most about k·ε·Σ|a||b| of rounding error; the order differs. ε is T's unit
        // roundoff (2⁻²⁴ for float, 2⁻⁵³ for double), with a factor 2 of margin.
        double epsilon = typeof(T) == typeof(double) ? 2.3e-16 : 1.2e-7;
        var (ea, eb) = (Effective(form, a, true), Effective(form, b, false));
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double magnitude = accumulate ? Math.Abs(double.CreateTruncating(c0[i, j])) : 0;
                for (int p = 0; p < k; p++)
                {
                    magnitude += Math.Abs(double.CreateTruncating(ea[i, p]) * double.CreateTruncating(eb[p, j]));
                }
                double tolerance = (k + 2) * epsilon * magnitude;
                double error = Math.Abs(double.CreateTruncating(actual[i, j]) - double.CreateTruncating(expected[i, j]));
                if (!(error <= tolerance))
                {
                    Assert.Fail(
                        $"{(tiled ? "tiled " : "")}{typeof(T).Name} {form} ({m}, {n}, {k}) accumulate={accumulate} bits={bits}: C[{i}, {j}] = {actual[i, j]} but the reference gives {expected[i, j]} (tolerance {tolerance:g3})"
                    );
                }
            }
        }
    }

    /// <summary>A and B as stored for the form, for an (M, K)·(K, N) product.</summary>
    private static (Matrix<T> A, Matrix<T> B) Operands<T>(Form form, int m, int n, int k, int seed)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        form switch
        {
            Form.AB => (KernelTestData.Random<T>(m, k, seed), KernelTestData.Random<T>(k, n, seed + 1)),
            Form.AtB => (KernelTestData.Random<T>(k, m, seed), KernelTestData.Random<T>(k, n, seed + 1)),
            _ => (KernelTestData.Random<T>(m, k, seed), KernelTestData.Random<T>(n, k, seed + 1)),
        };

    private static Matrix<T> Effective<T>(Form form, Matrix<T> x, bool isA)
        where T : unmanaged, IFloatingPointIeee754<T> => (form == Form.AtB && isA) || (form == Form.ABt && !isA) ? x.Transpose() : x;

    private static void Fast<T>(Form form, Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (form)
        {
            case Form.AB:
                MatMul.Multiply(a, b, c, accumulate);
                break;
            case Form.AtB:
                MatMul.MultiplyTransposeA(a, b, c, accumulate);
                break;
            default:
                MatMul.MultiplyTransposeB(a, b, c, accumulate);
                break;
        }
    }

    private static void Reference<T>(Form form, Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (form)
        {
            case Form.AB:
                MatMul.MultiplyReference(a, b, c, accumulate);
                break;
            case Form.AtB:
                MatMul.MultiplyTransposeAReference(a, b, c, accumulate);
                break;
            default:
                MatMul.MultiplyTransposeBReference(a, b, c, accumulate);
                break;
        }
    }
}

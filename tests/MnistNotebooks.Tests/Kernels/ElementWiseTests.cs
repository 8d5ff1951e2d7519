using System.Numerics;
using MnistNotebooks.Kernels;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Tests.Kernels;

public sealed class ElementWiseTests
{
    /// <summary>Every length 0–70 (all remainders of 2, 4, 8 and 16 lanes), then the MLP's sizes.</summary>
    public static readonly int[] Lengths = [.. Enumerable.Range(0, 71), 127, 129, 300, 784, 128 * 300];

    public static TheoryData<int> Widths => [.. KernelTestData.Widths];

    private delegate void SpanAction<T>(ReadOnlySpan<T> x, Span<T> y);

    /// <summary>ReLU keeps NaN as numpy's maximum and torch.relu do (a course about NaN must not hide one), maps −0 and
    /// −∞ to +0, keeps +∞; its backward passes no gradient through NaN. Every vector width, every lane position.</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void ReluPropagatesNaNLikeNumpyAndPyTorch(int bits)
    {
        using var _ = new ForcedWidth(bits);
        ReluSpecials<float>();
        ReluSpecials<double>();
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void ExactKernelsEqualTheirReferences(int bits)
    {
        using var _ = new ForcedWidth(bits);
        ExactKernels<float>();
        ExactKernels<double>();
    }

    /// <summary>The float sum of squares adds in one documented order at every width (a global-norm clip, and so the
    /// training run, depends on its bits): equal, bit for bit, to that order written as plain loops. Values spread over
    /// 12 decades so that any other order rounds differently.</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void FloatSumOfSquaresHasTheSameBitsAtEveryWidth(int bits)
    {
        using var _ = new ForcedWidth(bits);
        var rng = new Random(7);
        foreach (int n in Lengths.Append(235_510))
        {
            float[] x = [.. Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-6, 6))))];
            double expected = SumOfSquaresInEightLanes(x),
                actual = ElementWise.SumOfSquares<float>(x);
            Assert.True(
                BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual),
                $"n={n}, {bits} bits: {actual:R}, but the documented order gives {expected:R}"
            );
        }
    }

    /// <summary>The order <see cref="ElementWise.SumOfSquares{T}"/> documents: lane j adds x[16t + j]² + x[16t + 8 + j]²
    /// over whole blocks of 16, the lanes fold in halves, the rest follows in index order.</summary>
    private static double SumOfSquaresInEightLanes(float[] x)
    {
        double[] lane = new double[8];
        int i = 0;
        for (; i + 16 <= x.Length; i += 16)
        {
            for (int j = 0; j < 8; j++)
            {
                double a = x[i + j],
                    b = x[i + 8 + j];
                lane[j] += (a * a) + (b * b);
            }
        }
        double s = ((lane[0] + lane[4]) + (lane[2] + lane[6])) + ((lane[1] + lane[5]) + (lane[3] + lane[7]));
        for (; i < x.Length; i++)
        {
            s += (double)x[i] * x[i];
        }
        return s;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void FloatSigmoidAndTanhAreWithinAFewUlpOfTheScalarFunctions(int bits)
    {
        using var _ = new ForcedWidth(bits);
        foreach (int n in Lengths)
        {
            float[] x = KernelTestData.RandomArray(n, seed: n, scale: 12f);
            AssertClose(n, "Sigmoid", ElementWise.Sigmoid, ElementWise.SigmoidReference, x);
            AssertClose(n, "Tanh", ElementWise.Tanh, ElementWise.TanhReference, x);
        }
        // Tails and the ends of exp's range: saturate to exactly 0 and 1 (or ±1), never NaN.
        float[] extremes =
        [
            -1e4f,
            -200f,
            -104f,
            -103f,
            -88f,
            -20f,
            -1e-3f,
            -1e-30f,
            0f,
            1e-30f,
            1e-3f,
            0.6f,
            0.65f,
            20f,
            88f,
            89f,
            200f,
            1e4f,
            -0.62f,
            3f,
        ];
        AssertClose(extremes.Length, "Sigmoid extremes", ElementWise.Sigmoid, ElementWise.SigmoidReference, extremes);
        AssertClose(extremes.Length, "Tanh extremes", ElementWise.Tanh, ElementWise.TanhReference, extremes);
        float[] y = new float[extremes.Length];
        ElementWise.Sigmoid(extremes, y);
        Assert.Equal(0f, y[0]);
        Assert.Equal(1f, y[^3]);
    }

    /// <summary>A float's exp, sigmoid and tanh have the same bits whether the element falls in a 512-, 256- or 128-bit
    /// lane or in the scalar tail: which it falls in depends on the machine's vector width, so anything else would make a
    /// float32 training run differ between machines. Each element of a long array is recomputed alone (the tail).</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void FloatExpSigmoidAndTanhHaveTheSameBitsInEveryLaneAndTheTail(int bits)
    {
        using var _ = new ForcedWidth(bits);
        float[] x = KernelTestData.RandomArray(203, seed: 11, scale: 12f);
        x[..14].AsSpan().CopyTo(x.AsSpan(14));
        float[] specials = [0f, -0f, 0.6f, 0.625f, -0.65f, 1e-30f, -87.3f, 88.72f, 89f, -104f, float.NaN, float.PositiveInfinity];
        specials.CopyTo(x, 0);
        void Check(string name, SpanAction<float> kernel)
        {
            float[] all = new float[x.Length],
                one = new float[1];
            kernel(x, all);
            for (int i = 0; i < x.Length; i++)
            {
                kernel(x.AsSpan(i, 1), one);
                Assert.True(
                    BitConverter.SingleToInt32Bits(one[0]) == BitConverter.SingleToInt32Bits(all[i]),
                    $"{name}({x[i]:R}), {bits} bits: {all[i]:R} in a lane of 203, {one[0]:R} alone"
                );
            }
        }
        Check("exp", (a, b) => VectorLoops.Map(default(ExpOperator), a, b));
        Check("sigmoid", ElementWise.Sigmoid);
        Check("tanh", ElementWise.Tanh);
    }

    /// <summary>In double the vector paths apply the runtime's exp and tanh lane by lane: equal to the references bit for bit.</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void DoubleSigmoidAndTanhEqualTheirReferencesExactly(int bits)
    {
        using var _ = new ForcedWidth(bits);
        foreach (int n in Lengths)
        {
            double[] x = KernelTestData.RandomArray<double>(n, seed: n, scale: 40);
            AssertSame<double>(n, "Sigmoid", ElementWise.Sigmoid, ElementWise.SigmoidReference, x);
            AssertSame<double>(n, "Tanh", ElementWise.Tanh, ElementWise.TanhReference, x);
        }
        double[] specials = [-800, -709.79, 709.79, 800, double.NaN, double.NegativeInfinity, double.PositiveInfinity, 0];
        double[] s = new double[specials.Length];
        ElementWise.Sigmoid(specials, s);
        Assert.Equal([0, 0, 1, 1, double.NaN, 0, 1, 0.5], s);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void VectorExpIsWithinAFewUlpOfMathF(int bits)
    {
        using var _ = new ForcedWidth(bits);
        double[] u = new RandomState(5).RandomSample(4096);
        float[] x = [.. u.Select(v => (float)(-103 + 191.7 * v))];
        x[0] = 88.72f;
        x[1] = -87.3f;
        x[2] = 0f;
        float[] e = new float[x.Length];
        VectorLoops.Map(default(ExpOperator), x, e);
        for (int i = 0; i < x.Length; i++)
        {
            float expected = MathF.Exp(x[i]);
            double error = Math.Abs(e[i] - (double)expected);
            Assert.True(error <= (1e-6 * expected) + 1e-44, $"exp({x[i]}) = {e[i]} but MathF gives {expected}");
        }
        float[] specials = [float.NegativeInfinity, -1e4f, -104f, 89f, 1e4f, float.PositiveInfinity, float.NaN, 0f];
        float[] got = new float[specials.Length];
        VectorLoops.Map(default(ExpOperator), specials, got);
        Assert.Equal([0f, 0f, 0f, float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity, float.NaN, 1f], got);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void BiasAndRowKernelsMatchTheirReferences(int bits)
    {
        using var _ = new ForcedWidth(bits);
        BiasAndRows<float>();
        BiasAndRows<double>();
    }

    [Fact]
    public void ShapeErrorsNameExpectedAndFound()
    {
        var ex = Assert.Throws<ShapeMismatchException>(() => ElementWise.AddRowVector(new Matrix<float>(2, 3), new float[4]));
        Assert.StartsWith("Expected bias of length 3 for X (2, 3) but got 4", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ShapeMismatchException>(() => ElementWise.SumRows(new Matrix<double>(2, 3), new double[2]));
        Assert.StartsWith("Expected sums of length 3 for X (2, 3) but got 2", ex.Message, StringComparison.Ordinal);
        var ex2 = Assert.Throws<ArgumentException>(() => ElementWise.Relu<float>(new float[3], new float[4]));
        Assert.StartsWith("Expected spans of equal length but got 3 and 4", ex2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReferencesRejectTheShapesTheKernelsReject()
    {
        float[] three = new float[3],
            four = new float[4];
        void Unequal(Action call)
        {
            var ex = Assert.Throws<ArgumentException>(call);
            Assert.StartsWith("Expected spans of equal length but got", ex.Message, StringComparison.Ordinal);
        }
        Unequal(() => ElementWise.AxpyReference<float>(1, three, four));
        Unequal(() => ElementWise.ReluReference<float>(three, four));
        Unequal(() => ElementWise.SigmoidReference<float>(three, four));
        Unequal(() => ElementWise.TanhReference<float>(three, four));
        Unequal(() => ElementWise.ReluBackwardReference<float>(three, four, three));
        Unequal(() => ElementWise.ReluBackwardReference<float>(three, three, four));
        Unequal(() => ElementWise.SigmoidBackwardReference<float>(three, four, three));
        Unequal(() => ElementWise.SigmoidBackwardReference<float>(three, three, four));
        Unequal(() => ElementWise.TanhBackwardReference<float>(three, four, three));
        Unequal(() => ElementWise.TanhBackwardReference<float>(three, three, four));
        var bias = Assert.Throws<ShapeMismatchException>(() => ElementWise.AddRowVectorReference(new Matrix<float>(2, 3), four));
        Assert.Equal("bias", bias.ParamName);
        Assert.StartsWith("Expected bias of length 3 for X (2, 3) but got 4", bias.Message, StringComparison.Ordinal);
        var sums = Assert.Throws<ShapeMismatchException>(() => ElementWise.SumRowsReference(new Matrix<float>(2, 3), four));
        Assert.Equal("sums", sums.ParamName);
        Assert.Throws<ArgumentNullException>(() => ElementWise.SumRowsReference<float>(null!, four));
    }

    [Fact]
    public void ReferencesByHand()
    {
        // Small cases computed by hand, so that a reference and its kernel cannot be wrong together.
        var x = new Matrix<double>(2, 2, [1, 2, 3, 4]);
        ElementWise.AddRowVectorReference<double>(x, [10, 20]);
        Assert.Equal([11, 22, 13, 24], x.Data);
        double[] sums = [1, 1];
        ElementWise.SumRowsReference<double>(x, sums, accumulate: true);
        Assert.Equal([25, 47], sums);
        ElementWise.SumRowsReference<double>(x, sums);
        Assert.Equal([24, 46], sums);
        double[] y = [1, 1, 1];
        ElementWise.AxpyReference<double>(2, [1, -2, 0.5], y);
        Assert.Equal([3, -3, 2], y);
        ElementWise.ScaleReference<double>(y, -0.5);
        Assert.Equal([-1.5, 1.5, -1], y);
        Assert.Equal(1.5 * 1.5 * 2 + 1, ElementWise.SumOfSquaresReference<double>(y));
        Assert.Equal(0, ElementWise.SumOfSquaresReference<float>([]));
        double[] r = new double[4];
        ElementWise.ReluReference<double>([-1, 0, 2, double.NaN], r);
        Assert.Equal([0, 0, 2, double.NaN], r);
        ElementWise.ReluBackwardReference<double>([-1, 0, 2, 3], [5, 5, 5, -5], r);
        Assert.Equal([0, 0, 5, -5], r);
        ElementWise.SigmoidReference<double>([0, Math.Log(3)], r.AsSpan(0, 2));
        Assert.Equal([0.5, 0.75], r[..2].Select(v => Math.Round(v, 15)));
        ElementWise.SigmoidBackwardReference<double>([0.5, 0.75], [1, 2], r.AsSpan(0, 2));
        Assert.Equal([0.25, 2 * 0.75 * 0.25], r[..2]);
        ElementWise.TanhReference<double>([0, 1], r.AsSpan(0, 2));
        Assert.Equal([0, Math.Tanh(1)], r[..2]);
        ElementWise.TanhBackwardReference<double>([0.5, -1], [2, 3], r.AsSpan(0, 2));
        Assert.Equal([2 * 0.75, 0], r[..2]);
    }

    private static void ReluSpecials<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] special =
        [
            T.NaN,
            T.NegativeZero,
            T.Zero,
            T.NegativeInfinity,
            T.PositiveInfinity,
            T.CreateTruncating(-1.5),
            T.CreateTruncating(2.5),
        ];
        T[] expected = [T.NaN, T.Zero, T.Zero, T.Zero, T.PositiveInfinity, T.Zero, T.CreateTruncating(2.5)];
        for (int n = special.Length; n <= 37; n += 5)
        {
            T[] x = [.. Enumerable.Range(0, n).Select(i => special[i % special.Length])];
            T[] y = new T[n],
                reference = new T[n];
            ElementWise.Relu<T>(x, y);
            ElementWise.ReluReference<T>(x, reference);
            for (int i = 0; i < n; i++)
            {
                AssertSameBits(expected[i % expected.Length], y[i], $"Relu({x[i]}) n={n}");
                AssertSameBits(expected[i % expected.Length], reference[i], $"ReluReference({x[i]})");
            }
            T[] dx = new T[n];
            ElementWise.ReluBackward<T>(x, Enumerable.Repeat(T.One, n).ToArray(), dx);
            Assert.Equal(x.Select(v => v > T.Zero ? T.One : T.Zero), dx);
        }
    }

    private static void ExactKernels<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int n in Lengths)
        {
            T[] x = KernelTestData.RandomArray<T>(n, seed: n, scale: 3);
            T[] y = KernelTestData.RandomArray<T>(n, seed: n + 1);
            x.AsSpan(0, Math.Min(n, 3)).Clear(); // zeros hit the x > 0 edge

            AssertSame<T>(n, "Relu", ElementWise.Relu, ElementWise.ReluReference, x);
            AssertSame<T>(
                n,
                "SigmoidBackward",
                (a, b) => ElementWise.SigmoidBackward<T>(a, y, b),
                (a, b) => ElementWise.SigmoidBackwardReference<T>(a, y, b),
                x
            );
            AssertSame<T>(
                n,
                "TanhBackward",
                (a, b) => ElementWise.TanhBackward<T>(a, y, b),
                (a, b) => ElementWise.TanhBackwardReference<T>(a, y, b),
                x
            );
            AssertSame<T>(
                n,
                "ReluBackward",
                (a, b) => ElementWise.ReluBackward<T>(a, y, b),
                (a, b) => ElementWise.ReluBackwardReference<T>(a, y, b),
                x
            );

            T[] fast = (T[])y.Clone(),
                slow = (T[])y.Clone();
            T alpha = T.CreateTruncating(-0.3),
                scale = T.CreateTruncating(1.7);
            ElementWise.Axpy<T>(alpha, x, fast);
            ElementWise.AxpyReference<T>(alpha, x, slow);
            Assert.Equal(slow, fast);
            ElementWise.Scale<T>(fast, scale);
            ElementWise.ScaleReference<T>(slow, scale);
            Assert.Equal(slow, fast);
            T[] product = new T[n];
            ElementWise.Multiply<T>(x, y, product);
            Assert.Equal(x.Zip(y, (a, b) => a * b), product);
            double s = ElementWise.SumOfSquares<T>(x),
                r = ElementWise.SumOfSquaresReference<T>(x);
            Assert.True(Math.Abs(s - r) <= 1e-12 * r, $"SumOfSquares n={n}: {s} vs {r}");
        }
    }

    private static void BiasAndRows<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int n in KernelTestData.Sizes.Append(300).Append(784))
        {
            Matrix<T> x = KernelTestData.Random<T>(5, n, seed: n, scale: 4);
            T[] bias = KernelTestData.RandomArray<T>(n, seed: n + 1);
            Matrix<T> fast = x.Clone(),
                slow = x.Clone();
            ElementWise.AddRowVector(fast, bias);
            ElementWise.AddRowVectorReference(slow, bias);
            Assert.Equal(slow.Data, fast.Data);

            T[] sums = KernelTestData.RandomArray<T>(n, 9),
                sumsRef = (T[])sums.Clone();
            ElementWise.SumRows<T>(x, sums, accumulate: true);
            ElementWise.SumRowsReference<T>(x, sumsRef, accumulate: true);
            Assert.Equal(sumsRef, sums);
            ElementWise.SumRows<T>(x, sums);
            ElementWise.SumRowsReference<T>(x, sumsRef);
            Assert.Equal(sumsRef, sums);
        }
    }

    /// <summary>Both NaN, or the same bits (so −0 and +0 differ).</summary>
    private static void AssertSameBits<T>(T expected, T actual, string what)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Assert.True(T.IsNaN(expected) ? T.IsNaN(actual) : Bits(expected) == Bits(actual), $"{what}: expected {expected} but got {actual}");

    private static long Bits<T>(T v)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float)
            ? BitConverter.SingleToInt32Bits(float.CreateTruncating(v))
            : BitConverter.DoubleToInt64Bits(double.CreateTruncating(v));

    private static void AssertSame<T>(int n, string name, SpanAction<T> fast, SpanAction<T> reference, T[] x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = new T[n],
            b = new T[n];
        fast(x, a);
        reference(x, b);
        Assert.True(b.AsSpan().SequenceEqual(a), $"{typeof(T).Name} {name} n={n} differs from its reference");
        T[] inPlace = (T[])x.Clone();
        fast(inPlace, inPlace);
        Assert.True(b.AsSpan().SequenceEqual(inPlace), $"{typeof(T).Name} {name} n={n} in place differs from its reference");
    }

    private static void AssertClose(int n, string name, SpanAction<float> fast, SpanAction<float> reference, float[] x)
    {
        float[] a = new float[x.Length],
            b = new float[x.Length];
        fast(x, a);
        reference(x, b);
        for (int i = 0; i < b.Length; i++)
        {
            double error = Math.Abs(a[i] - (double)b[i]);
            Assert.True(error <= (1e-6 * Math.Abs(b[i])) + 1e-37, $"{name} n={n}: [{i}] = {a[i]} but the reference gives {b[i]}");
        }
    }

    private readonly struct ExpOperator : IUnaryOperator<float>
    {
        public TL Invoke<TL>(TL x)
            where TL : struct, ILanes<TL, float> => TL.Exp(x);
    }
}

/// <summary>Forces a narrower vector width on the calling thread for the lifetime of the scope.</summary>
internal readonly struct ForcedWidth : IDisposable
{
    private readonly int saved;

    public ForcedWidth(int bits)
    {
        saved = Simd.ForcedBits;
        Simd.ForcedBits = bits;
    }

    public void Dispose() => Simd.ForcedBits = saved;
}

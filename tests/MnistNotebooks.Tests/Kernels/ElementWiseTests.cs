using MnistNotebooks.Kernels;

namespace MnistNotebooks.Tests.Kernels;

public sealed class ElementWiseTests
{
    /// <summary>Every length 0–70 (all remainders of 4, 8 and 16), then the MLP's sizes.</summary>
    public static readonly int[] Lengths = [.. Enumerable.Range(0, 71), 127, 129, 300, 784, 128 * 300];

    public static TheoryData<int> Widths => [.. KernelTestData.Widths];

    /// <summary>ReLU keeps NaN as numpy's maximum and torch.relu do (a course about NaN must not hide one), maps −0 and
    /// −∞ to +0, keeps +∞; its backward passes no gradient through NaN. Every vector width, every lane position.</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void ReluPropagatesNaNLikeNumpyAndPyTorch(int bits)
    {
        using var _ = new ForcedWidth(bits);
        float[] special = [float.NaN, -0f, 0f, float.NegativeInfinity, float.PositiveInfinity, -1.5f, 2.5f];
        float[] expected = [float.NaN, 0f, 0f, 0f, float.PositiveInfinity, 0f, 2.5f];
        for (int n = special.Length; n <= 37; n += 5)
        {
            float[] x = [.. Enumerable.Range(0, n).Select(i => special[i % special.Length])];
            float[] want = [.. Enumerable.Range(0, n).Select(i => expected[i % expected.Length])];
            float[] y = new float[n],
                reference = new float[n];
            ElementWise.Relu(x, y);
            ElementWise.ReluReference(x, reference);
            var fused = Matrix.FromArray(new float[1, n]);
            x.CopyTo(fused.Data, 0);
            ElementWise.AddRowVectorRelu(fused, new float[n], fused);
            for (int i = 0; i < n; i++)
            {
                AssertSameFloat(want[i], y[i], $"Relu({x[i]}) n={n}");
                AssertSameFloat(want[i], reference[i], $"ReluReference({x[i]})");
                AssertSameFloat(want[i], fused.Data[i], $"AddRowVectorRelu({x[i]})");
            }
            float[] dx = new float[n];
            ElementWise.ReluBackward(x, Enumerable.Repeat(1f, n).ToArray(), dx);
            Assert.Equal(x.Select(v => v > 0 ? 1f : 0f), dx);
        }
    }

    /// <summary>Both NaN, or the same bits (so −0 and +0 differ).</summary>
    private static void AssertSameFloat(float expected, float actual, string what) =>
        Assert.True(
            float.IsNaN(expected)
                ? float.IsNaN(actual)
                : BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual),
            $"{what}: expected {expected} but got {actual}"
        );

    [Theory]
    [MemberData(nameof(Widths))]
    public void ExactKernelsEqualTheirReferences(int bits)
    {
        using var _ = new ForcedWidth(bits);
        foreach (int n in Lengths)
        {
            float[] x = KernelTestData.RandomArray(n, seed: n, scale: 3f);
            float[] y = KernelTestData.RandomArray(n, seed: n + 1);
            x[..Math.Min(n, 3)].AsSpan().Clear(); // zeros hit the x > 0 edge

            AssertSame(n, "Relu", (a, b) => ElementWise.Relu(a, b), (a, b) => ElementWise.ReluReference(a, b), x);
            AssertSame(
                n,
                "SigmoidBackward",
                (a, b) => ElementWise.SigmoidBackward(a, y, b),
                (a, b) => ElementWise.SigmoidBackwardReference(a, y, b),
                x
            );
            AssertSame(
                n,
                "TanhBackward",
                (a, b) => ElementWise.TanhBackward(a, y, b),
                (a, b) => ElementWise.TanhBackwardReference(a, y, b),
                x
            );
            AssertSame(
                n,
                "ReluBackward",
                (a, b) => ElementWise.ReluBackward(a, y, b),
                (a, b) => ElementWise.ReluBackwardReference(a, y, b),
                x
            );

            float[] fast = (float[])y.Clone(),
                slow = (float[])y.Clone();
            ElementWise.Axpy(-0.3f, x, fast);
            ElementWise.AxpyReference(-0.3f, x, slow);
            Assert.Equal(slow, fast);
            ElementWise.Scale(fast, 1.7f);
            ElementWise.ScaleReference(slow, 1.7f);
            Assert.Equal(slow, fast);
            double s = ElementWise.SumOfSquares(x),
                r = ElementWise.SumOfSquaresReference(x);
            Assert.True(Math.Abs(s - r) <= 1e-12 * r, $"SumOfSquares n={n}: {s} vs {r}");
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void SigmoidAndTanhAreWithinAFewUlpOfMathF(int bits)
    {
        using var _ = new ForcedWidth(bits);
        foreach (int n in Lengths)
        {
            float[] x = KernelTestData.RandomArray(n, seed: n, scale: 12f);
            AssertClose(n, "Sigmoid", (a, b) => ElementWise.Sigmoid(a, b), (a, b) => ElementWise.SigmoidReference(a, b), x);
            AssertClose(n, "Tanh", (a, b) => ElementWise.Tanh(a, b), (a, b) => ElementWise.TanhReference(a, b), x);
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
        AssertClose(
            extremes.Length,
            "Sigmoid extremes",
            (a, b) => ElementWise.Sigmoid(a, b),
            (a, b) => ElementWise.SigmoidReference(a, b),
            extremes
        );
        AssertClose(
            extremes.Length,
            "Tanh extremes",
            (a, b) => ElementWise.Tanh(a, b),
            (a, b) => ElementWise.TanhReference(a, b),
            extremes
        );
        float[] y = new float[extremes.Length];
        ElementWise.Sigmoid(extremes, y);
        Assert.Equal(0f, y[0]);
        Assert.Equal(1f, y[^3]);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void VectorExpIsWithinAFewUlpOfMathF(int bits)
    {
        using var _ = new ForcedWidth(bits);
        var random = new Random(5);
        float[] x = new float[4096];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = -103f + (191.7f * random.NextSingle());
        }
        x[0] = 88.72f;
        x[1] = -87.3f;
        x[2] = 0f;
        float[] e = new float[x.Length];
        VectorLoops.Map(new ExpOperator(), x, e);
        for (int i = 0; i < x.Length; i++)
        {
            float expected = MathF.Exp(x[i]);
            double error = Math.Abs(e[i] - (double)expected);
            Assert.True(error <= (1e-6 * expected) + 1e-44, $"exp({x[i]}) = {e[i]} but MathF gives {expected}");
        }
        float[] specials = [float.NegativeInfinity, -1e4f, -104f, 89f, 1e4f, float.PositiveInfinity, float.NaN, 0f];
        float[] got = new float[specials.Length];
        VectorLoops.Map(new ExpOperator(), specials, got);
        Assert.Equal([0f, 0f, 0f, float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity, float.NaN, 1f], got);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void BiasAndRowKernelsMatchTheirReferences(int bits)
    {
        using var _ = new ForcedWidth(bits);
        foreach (int n in KernelTestData.Sizes.Append(300).Append(784))
        {
            int rows = 5;
            Matrix x = KernelTestData.Random(rows, n, seed: n, scale: 4f);
            float[] bias = KernelTestData.RandomArray(n, seed: n + 1);

            Matrix fast = x.Clone(),
                slow = x.Clone();
            ElementWise.AddRowVector(fast, bias);
            ElementWise.AddRowVectorReference(slow, bias);
            Assert.Equal(slow.Data, fast.Data);

            float[] sums = KernelTestData.RandomArray(n, 9),
                sumsRef = (float[])sums.Clone();
            ElementWise.SumRows(x, sums, accumulate: true);
            ElementWise.SumRowsReference(x, sumsRef, accumulate: true);
            Assert.Equal(sumsRef, sums);
            ElementWise.SumRows(x, sums);
            ElementWise.SumRowsReference(x, sumsRef);
            Assert.Equal(sumsRef, sums);

            // Fused bias + activation equals bias then activation; in place too.
            Matrix y = new(rows, n),
                expected = slow.Clone();
            ElementWise.ReluReference(slow.Data, expected.Data);
            ElementWise.AddRowVectorRelu(x, bias, y);
            Assert.Equal(expected.Data, y.Data);
            Matrix inPlace = x.Clone();
            ElementWise.AddRowVectorRelu(inPlace, bias, inPlace);
            Assert.Equal(expected.Data, inPlace.Data);

            ElementWise.SigmoidReference(slow.Data, expected.Data);
            ElementWise.AddRowVectorSigmoid(x, bias, y);
            AssertClose(n, "AddRowVectorSigmoid", expected.Data, y.Data);
            ElementWise.TanhReference(slow.Data, expected.Data);
            ElementWise.AddRowVectorTanh(x, bias, y);
            AssertClose(n, "AddRowVectorTanh", expected.Data, y.Data);

            // ReLU backward with the bias gradient: dX = dY·[Y > 0], db += Σ_rows dX.
            Matrix dy = KernelTestData.Random(rows, n, seed: n + 2);
            Matrix dx = new(rows, n),
                dxRef = new(rows, n);
            float[] db = KernelTestData.RandomArray(n, seed: 3),
                dbRef = (float[])db.Clone();
            ElementWise.ReluBackward(y, dy, dx, db);
            ElementWise.ReluBackwardReference(y.Data, dy.Data, dxRef.Data);
            ElementWise.SumRowsReference(dxRef, dbRef, accumulate: true);
            Assert.Equal(dxRef.Data, dx.Data);
            Assert.Equal(dbRef, db);
        }
    }

    [Fact]
    public void ShapeErrorsNameExpectedAndFound()
    {
        var ex = Assert.Throws<ShapeMismatchException>(() =>
            ElementWise.AddRowVectorRelu(new Matrix(2, 3), new float[4], new Matrix(2, 3))
        );
        Assert.StartsWith("Expected a bias of length 3 for X (2, 3) but got 4", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ShapeMismatchException>(() => ElementWise.AddRowVectorSigmoid(new Matrix(2, 3), new float[3], new Matrix(3, 2)));
        Assert.StartsWith("Expected y (2, 3) but got (3, 2)", ex.Message, StringComparison.Ordinal);
        var ex2 = Assert.Throws<ArgumentException>(() => ElementWise.Relu(new float[3], new float[4]));
        Assert.StartsWith("Expected spans of equal length but got 3 and 4", ex2.Message, StringComparison.Ordinal);
    }

    private static void AssertSame(int n, string name, SpanAction fast, SpanAction reference, float[] x)
    {
        float[] a = new float[n],
            b = new float[n];
        fast(x, a);
        reference(x, b);
        Assert.True(b.AsSpan().SequenceEqual(a), $"{name} n={n} differs from its reference");
        float[] inPlace = (float[])x.Clone();
        fast(inPlace, inPlace);
        Assert.True(b.AsSpan().SequenceEqual(inPlace), $"{name} n={n} in place differs from its reference");
    }

    private static void AssertClose(int n, string name, SpanAction fast, SpanAction reference, float[] x)
    {
        float[] a = new float[x.Length],
            b = new float[x.Length];
        fast(x, a);
        reference(x, b);
        AssertClose(n, name, b, a);
    }

    private static void AssertClose(int n, string name, float[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - (double)expected[i]);
            Assert.True(
                error <= (1e-6 * Math.Abs(expected[i])) + 1e-37,
                $"{name} n={n}: [{i}] = {actual[i]} but the reference gives {expected[i]}"
            );
        }
    }

    private delegate void SpanAction(float[] x, float[] y);

    private readonly struct ExpOperator : IUnaryOperator
    {
        public float Invoke(float x) => MathF.Exp(x);

        public System.Runtime.Intrinsics.Vector128<float> Invoke(System.Runtime.Intrinsics.Vector128<float> x) => VectorMath.Exp(x);

        public System.Runtime.Intrinsics.Vector256<float> Invoke(System.Runtime.Intrinsics.Vector256<float> x) => VectorMath.Exp(x);

        public System.Runtime.Intrinsics.Vector512<float> Invoke(System.Runtime.Intrinsics.Vector512<float> x) => VectorMath.Exp(x);
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

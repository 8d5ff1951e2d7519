using MnistNotebooks.Kernels;

namespace MnistNotebooks.Tests.Kernels;

public sealed class SoftmaxTests
{
    public static TheoryData<int> Widths => [.. KernelTestData.Widths];

    [Theory]
    [MemberData(nameof(Widths))]
    public void MatchesADoubleOracleOnEveryRowLength(int bits)
    {
        using var _ = new ForcedWidth(bits);
        foreach (int classes in KernelTestData.Sizes.Where(s => s > 0).Append(10))
        {
            Check<float>(classes, 2e-6);
            Check<double>(classes, 1e-14);
        }
    }

    /// <summary>Against softmax and log-softmax written here in double without the max shift (logits within ±20).</summary>
    private static void Check<T>(int classes, double tolerance)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Matrix<T> z = KernelTestData.Random<T>(4, classes, seed: classes, scale: 20);
        Matrix<T> p = new(4, classes),
            l = new(4, classes);
        Softmax.Rows(z, p);
        Softmax.LogRows(z, l);
        for (int r = 0; r < 4; r++)
        {
            double[] e = [.. z.Row(r).ToArray().Select(v => Math.Exp(double.CreateTruncating(v)))];
            double sum = e.Sum();
            for (int c = 0; c < classes; c++)
            {
                double pe = e[c] / sum,
                    le = double.CreateTruncating(z[r, c]) - Math.Log(sum);
                double pa = double.CreateTruncating(p[r, c]),
                    la = double.CreateTruncating(l[r, c]);
                // z − max is rounded to T, an error of ulp(|z − max|) in the exponent: the tolerance scales with |log p|.
                Assert.True(
                    Math.Abs(pa - pe) <= tolerance * pe * Math.Max(1, Math.Abs(le)) + 1e-300,
                    $"{typeof(T).Name} softmax {classes} [{r}, {c}]: {pa} vs {pe}"
                );
                Assert.True(
                    Math.Abs(la - le) <= tolerance * Math.Max(1, Math.Abs(le)),
                    $"{typeof(T).Name} log-softmax {classes} [{r}, {c}]: {la} vs {le}"
                );
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void HugeLogitsGiveExactFiniteResults(int bits)
    {
        using var _ = new ForcedWidth(bits);
        var z = Matrix<float>.FromArray(
            new float[,]
            {
                { 1e4f, -1e4f, 0f },
            }
        );
        var p = new Matrix<float>(1, 3);
        Softmax.Rows(z, p);
        Assert.Equal(new float[] { 1, 0, 0 }, p.Data);
        Softmax.LogRows(z, p);
        Assert.Equal(new float[] { 0, -2e4f, -1e4f }, p.Data);

        // The same in a row of 33 logits, one of them +1e4.
        var wide = new Matrix<float>(1, 33);
        for (int c = 0; c < 33; c++)
        {
            wide[0, c] = c % 2 == 0 ? -1e4f : 0f;
        }
        wide[0, 20] = 1e4f;
        var q = new Matrix<float>(1, 33);
        Softmax.Rows(wide, q);
        Assert.All(q.Data.Select((v, c) => (v, c)), t => Assert.Equal(t.c == 20 ? 1f : 0f, t.v));
        Softmax.LogRows(wide, q);
        Assert.All(q.Data.Select((v, c) => (v, c)), t => Assert.Equal(t.c == 20 ? 0f : wide[0, t.c] - 1e4f, t.v));
    }

    [Fact]
    public void InPlaceAndByHand()
    {
        var z = Matrix<float>.FromArray(
            new float[,]
            {
                { 0f, MathF.Log(3f) },
                { 5f, 5f },
            }
        );
        Softmax.Rows(z, z);
        Assert.Equal(0.25f, z[0, 0], 6);
        Assert.Equal(0.75f, z[0, 1], 6);
        Assert.Equal(0.5f, z[1, 1]);
        var ex = Assert.Throws<ShapeMismatchException>(() => Softmax.LogRows(new Matrix<float>(2, 10), new Matrix<float>(2, 9)));
        Assert.StartsWith("Expected logProbabilities (2, 10) but got (2, 9)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ArgumentsAreChecked()
    {
        Assert.Equal("logits", Assert.Throws<ArgumentNullException>(() => Softmax.Rows<float>(null!, new Matrix<float>(1, 1))).ParamName);
        Assert.Equal(
            "logits",
            Assert.Throws<ArgumentNullException>(() => Softmax.LogRows<float>(null!, new Matrix<float>(1, 1))).ParamName
        );
        var ex = Assert.Throws<ShapeMismatchException>(() => Softmax.Rows(new Matrix<float>(2, 10), new Matrix<float>(3, 10)));
        Assert.Equal("probabilities", ex.ParamName);
        Assert.StartsWith("Expected probabilities (2, 10) but got (3, 10)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(
            "logProbabilities",
            Assert.Throws<ArgumentNullException>(() => Softmax.LogRows(new Matrix<float>(1, 1), null!)).ParamName
        );
    }

    [Fact]
    public void LogRowsByHandAndANaNRowStaysNaN()
    {
        // Row (0, ln 3): log p = (ln ¼, ln ¾); a row holding a NaN is all NaN, never silently finite.
        var z = new Matrix<double>(2, 2, [0, Math.Log(3), double.NaN, 1]);
        var l = new Matrix<double>(2, 2);
        Softmax.LogRows(z, l);
        Assert.Equal(Math.Log(0.25), l[0, 0], 15);
        Assert.Equal(Math.Log(0.75), l[0, 1], 15);
        Assert.True(double.IsNaN(l[1, 0]) && double.IsNaN(l[1, 1]));
        Softmax.Rows(z, l);
        Assert.Equal(0.25, l[0, 0], 15);
        Assert.True(double.IsNaN(l[1, 0]) && double.IsNaN(l[1, 1]));
    }
}

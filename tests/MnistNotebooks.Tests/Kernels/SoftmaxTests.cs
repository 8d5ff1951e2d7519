using MnistNotebooks.Kernels;

namespace MnistNotebooks.Tests.Kernels;

public sealed class SoftmaxTests
{
    public static TheoryData<int> Widths => [.. KernelTestData.Widths];

    [Theory]
    [MemberData(nameof(Widths))]
    public void MatchesReferenceOnEveryRowLength(int bits)
    {
        using var _ = new ForcedWidth(bits);
        foreach (int classes in KernelTestData.Sizes.Where(s => s > 0).Append(10))
        {
            Matrix z = KernelTestData.Random(4, classes, seed: classes, scale: 20f);
            Matrix p = new(4, classes),
                pRef = new(4, classes),
                l = new(4, classes),
                lRef = new(4, classes);
            Softmax.Rows(z, p);
            Softmax.RowsReference(z, pRef);
            Softmax.LogRows(z, l);
            Softmax.LogRowsReference(z, lRef);
            for (int i = 0; i < p.Length; i++)
            {
                Assert.True(
                    Math.Abs(p.Data[i] - pRef.Data[i]) <= (2e-6 * pRef.Data[i]) + 1e-37,
                    $"softmax {classes} classes [{i}]: {p.Data[i]} vs {pRef.Data[i]}"
                );
                Assert.True(
                    Math.Abs(l.Data[i] - lRef.Data[i]) <= 1e-6 * Math.Max(1, Math.Abs(lRef.Data[i])),
                    $"log-softmax {classes} classes [{i}]: {l.Data[i]} vs {lRef.Data[i]}"
                );
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void HugeLogitsGiveExactFiniteResults(int bits)
    {
        using var _ = new ForcedWidth(bits);
        var z = Matrix.FromArray(
            new float[,]
            {
                { 1e4f, -1e4f, 0f },
            }
        );
        var p = new Matrix(1, 3);
        Softmax.Rows(z, p);
        Assert.Equal(new float[] { 1, 0, 0 }, p.Data);
        Softmax.LogRows(z, p);
        Assert.Equal(new float[] { 0, -2e4f, -1e4f }, p.Data);

        // The same in a row long enough for the vector path: 33 logits, one of them +1e4.
        var wide = new Matrix(1, 33);
        for (int c = 0; c < 33; c++)
        {
            wide[0, c] = c % 2 == 0 ? -1e4f : 0f;
        }
        wide[0, 20] = 1e4f;
        var q = new Matrix(1, 33);
        Softmax.Rows(wide, q);
        Assert.All(q.Data.Select((v, c) => (v, c)), t => Assert.Equal(t.c == 20 ? 1f : 0f, t.v));
        Softmax.LogRows(wide, q);
        Assert.All(q.Data.Select((v, c) => (v, c)), t => Assert.Equal(t.c == 20 ? 0f : wide[0, t.c] - 1e4f, t.v));
    }

    [Fact]
    public void InPlaceAndByHand()
    {
        var z = Matrix.FromArray(
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
        var ex = Assert.Throws<ShapeMismatchException>(() => Softmax.LogRows(new Matrix(2, 10), new Matrix(2, 9)));
        Assert.StartsWith("Expected logProbabilities (2, 10) but got (2, 9)", ex.Message, StringComparison.Ordinal);
    }
}

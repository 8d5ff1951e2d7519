using MnistNotebooks.Kernels;

namespace MnistNotebooks.Tests.Kernels;

/// <summary>The tiled transpose against the two-loop reference, on shapes that are vectors, smaller than a tile, not
/// multiples of it, and large enough to be split over threads.</summary>
[Collection(ParallelismCollection.Name)]
public sealed class TranspositionTests
{
    public static readonly TheoryData<int, int, int> Shapes = new()
    {
        { 1, 70, 1 },
        { 70, 1, 1 },
        { 5, 3, 1 },
        { 32, 32, 1 },
        { 33, 95, 1 },
        { 300, 257, 1 },
        { 300, 257, 2 },
        { 4200, 20, 2 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TiledEqualsTheReference(int rows, int cols, int threads)
    {
        float[] source = KernelTestData.RandomArray(rows * cols, 5);
        float[] expected = new float[source.Length],
            actual = new float[source.Length];
        Transposition.Reference(source, rows, cols, expected);
        ThreadLimit.Run(threads, () => Transposition.Apply(source, rows, cols, actual));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void MatrixTransposeIsTheReferenceInDoubleAndTwiceIsTheIdentity()
    {
        var m = new Matrix<double>(257, 300, [.. Enumerable.Range(0, 257 * 300).Select(i => i * 0.5)]);
        Matrix<double> t = ThreadLimit.Run(2, m.Transpose);
        Assert.Equal((300, 257), (t.Rows, t.Cols));
        for (int r = 0; r < m.Rows; r += 17)
        {
            for (int c = 0; c < m.Cols; c++)
            {
                Assert.Equal(m[r, c], t[c, r]);
            }
        }
        Assert.Equal(m.Data, t.Transpose().Data);
    }
}

namespace MnistNotebooks.Tests;

public sealed class MatrixTests
{
    [Fact]
    public void ShapeErrorNamesExpectedAndFound()
    {
        var m = new Matrix<float>(32, 783);
        var ex = Assert.Throws<ShapeMismatchException>(() => ShapeMismatchException.ThrowIfNot(m, -1, 784, "input", "batch"));
        Assert.Equal("Expected input (batch, 784) but got (32, 783) (Parameter 'input')", ex.Message);
    }

    [Fact]
    public void IndexerIsRowMajor()
    {
        var m = Matrix<float>.FromArray(
            new float[,]
            {
                { 1, 2, 3 },
                { 4, 5, 6 },
            }
        );
        Assert.Equal(6f, m[1, 2]);
        Assert.Equal(new float[] { 4, 5, 6 }, m.Row(1).ToArray());
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, m.Transpose().Data);
        Assert.Throws<IndexOutOfRangeException>(() => m[2, 0]);
    }
}

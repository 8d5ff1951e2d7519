using MnistNotebooks.Layers;

namespace MnistNotebooks.Tests.Layers;

public sealed class BufferCacheTests
{
    [Fact]
    public void KeepsOneZeroedBufferPerShapeUpToEightShapes()
    {
        var cache = new BufferCache<float>();
        Matrix<float>[] first = [.. Enumerable.Range(1, 8).Select(r => cache.Get(r, 3))];
        Assert.All(first, (m, i) => Assert.Equal((i + 1, 3, 3 * (i + 1)), (m.Rows, m.Cols, m.Length)));
        Assert.All(first, m => Assert.All(m.Data, v => Assert.Equal(0f, v)));
        for (int r = 1; r <= 8; r++)
        {
            Assert.Same(first[r - 1], cache.Get(r, 3));
        }
        Assert.NotSame(cache.Get(3, 1), cache.Get(1, 3));
    }

    [Fact]
    public void ANinthShapeStartsAfresh()
    {
        // The cap bounds memory when shapes keep changing: the ninth shape clears the cache, then is kept itself.
        var cache = new BufferCache<double>();
        Matrix<double>[] first = [.. Enumerable.Range(1, 8).Select(r => cache.Get(r, 2))];
        Matrix<double> ninth = cache.Get(9, 2);
        Assert.Same(ninth, cache.Get(9, 2));
        Assert.NotSame(first[0], cache.Get(1, 2));
    }
}

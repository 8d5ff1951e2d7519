using MnistNotebooks.Data;

namespace MnistNotebooks.Tests.Data;

public sealed class IdxTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void ReadsRawImagesAndLabels()
    {
        byte[] images = Idx.ReadImages(dir.File("img", IdxFixture.Images(5)));
        byte[] labels = Idx.ReadLabels(dir.File("lbl", IdxFixture.Labels(5)));

        Assert.Equal(5 * 784, images.Length);
        Assert.Equal(IdxFixture.Images(5).AsSpan(16).ToArray(), images);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, labels);
    }

    [Fact]
    public void ReadsGzipDetectedByMagicNotByName()
    {
        byte[] gz = IdxFixture.Gzip(IdxFixture.Images(5));
        byte[] expected = IdxFixture.Images(5).AsSpan(16).ToArray();

        Assert.Equal(expected, Idx.ReadImages(dir.File("img.gz", gz)));
        Assert.Equal(expected, Idx.ReadImages(dir.File("img-without-suffix", gz)));
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, Idx.ReadLabels(dir.File("lbl.gz", IdxFixture.Gzip(IdxFixture.Labels(5)))));
    }

    [Fact]
    public void TruncatedRawFileSaysExpectedAndFoundBytes()
    {
        byte[] full = IdxFixture.Images(5);
        string path = dir.File("img", full[..^100]);

        var e = Assert.Throws<IdxFormatException>(() => Idx.ReadImages(path));

        Assert.Equal(path, e.FilePath);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(
            $"truncated: header says 5 images, so expected {full.Length} bytes, found {full.Length - 100}",
            e.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void TruncatedGzipContentIsReportedInDecompressedBytes()
    {
        byte[] full = IdxFixture.Images(5);
        string path = dir.File("img.gz", IdxFixture.Gzip(full[..^784]));

        var e = Assert.Throws<IdxFormatException>(() => Idx.ReadImages(path));

        Assert.Contains($"expected {full.Length} decompressed bytes, found {full.Length - 784}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GzipStreamCutOffMidwayFails()
    {
        byte[] gz = IdxFixture.Gzip(IdxFixture.Images(50));
        string path = dir.File("img.gz", gz[..(gz.Length / 2)]);

        var e = Assert.Throws<IdxFormatException>(() => Idx.ReadImages(path));

        Assert.Matches("truncated|corrupt gzip", e.Problem);
    }

    [Fact]
    public void HeaderCountLargerOrSmallerThanTheDataFails()
    {
        string more = dir.File("more", IdxFixture.Images(5, headerCount: 6));
        string fewer = dir.File("fewer", IdxFixture.Images(5, headerCount: 4));
        string labels = dir.File("labels", IdxFixture.Labels(5, headerCount: 7));

        Assert.StartsWith(
            "truncated: header says 6 images, so expected 4720 bytes, found 3936",
            Assert.Throws<IdxFormatException>(() => Idx.ReadImages(more)).Problem,
            StringComparison.Ordinal
        );
        Assert.StartsWith(
            "too long: header says 4 images, so expected 3152 bytes, found 3936",
            Assert.Throws<IdxFormatException>(() => Idx.ReadImages(fewer)).Problem,
            StringComparison.Ordinal
        );
        Assert.StartsWith(
            "truncated: header says 7 labels, so expected 15 bytes, found 13",
            Assert.Throws<IdxFormatException>(() => Idx.ReadLabels(labels)).Problem,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void TooLongGzipContentFails()
    {
        string path = dir.File("img.gz", IdxFixture.Gzip(IdxFixture.Images(5, headerCount: 4)));

        var e = Assert.Throws<IdxFormatException>(() => Idx.ReadImages(path));

        Assert.StartsWith(
            "too long: header says 4 images, so expected 3152 decompressed bytes, found 3936",
            e.Problem,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void TinyGzipClaimingTwoBillionImagesFailsWithoutAllocating()
    {
        byte[] gz = IdxFixture.Gzip(IdxFixture.Images(0, headerCount: 2_000_000_000));
        string path = dir.File("img.gz", gz);
        Assert.InRange(gz.Length, 20, 200);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<IdxFormatException>(() => Idx.ReadImages(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(path, e.FilePath);
        Assert.Contains("2000000000 images", e.Problem, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, 4 << 20);
    }

    [Fact]
    public void GzipPaddedWithIncompressibleBytesCannotMakeTheReaderTrustItsHeader()
    {
        // 1.5 MB of random bytes do not compress, so the file is large enough that the deflate-ratio bound alone
        // would allow the 1.49 GB its header claims; the reader must allocate in step with what it decompresses.
        const int declared = 1_900_000;
        byte[] raw = new byte[16 + (3 << 19)];
        IdxFixture.Images(0, headerCount: declared).CopyTo(raw, 0);
        new Random(1).NextBytes(raw.AsSpan(16));
        string path = dir.File("img.gz", IdxFixture.Gzip(raw));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<IdxFormatException>(() => Idx.ReadImages(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(
            $"truncated: header says {declared} images, so expected {16 + (declared * 784L)} decompressed bytes, found {raw.Length}",
            e.Problem
        );
        Assert.InRange(allocated, 0, 8L * raw.Length);
    }

    [Fact]
    public void LabelsGzipClaimingMoreThanItHoldsFailsWithoutAllocating()
    {
        string path = dir.File("lbl.gz", IdxFixture.Gzip(IdxFixture.Labels(3, headerCount: int.MaxValue)));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<IdxFormatException>(() => Idx.ReadLabels(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains($"{int.MaxValue} labels", e.Problem, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, 4 << 20);
    }

    [Fact]
    public void WrongMagicNamesExpectedAndFound()
    {
        string labelsAsImages = dir.File("swapped", IdxFixture.Labels(5));
        string imagesAsLabels = dir.File("swapped2", IdxFixture.Images(5));
        string odd = dir.File("odd", IdxFixture.Images(5, magic: 1234));

        Assert.Equal(
            "wrong magic: expected 2051 for images, found 2049 (this is a labels file)",
            Assert.Throws<IdxFormatException>(() => Idx.ReadImages(labelsAsImages)).Problem
        );
        Assert.Equal(
            "wrong magic: expected 2049 for labels, found 2051 (this is an images file)",
            Assert.Throws<IdxFormatException>(() => Idx.ReadLabels(imagesAsLabels)).Problem
        );
        Assert.Equal(
            "wrong magic: expected 2051 for images, found 1234",
            Assert.Throws<IdxFormatException>(() => Idx.ReadImages(odd)).Problem
        );
    }

    [Fact]
    public void WrongDimensionsFail()
    {
        string path = dir.File("img", IdxFixture.Images(5, rows: 27, cols: 28));

        var e = Assert.Throws<IdxFormatException>(() => Idx.ReadImages(path));

        Assert.Equal("wrong dimensions: expected 28 × 28 images, found 27 × 28", e.Problem);
    }

    [Fact]
    public void GarbageWithGzNameSaysItIsNotGzip()
    {
        string path = dir.File("train-images-idx3-ubyte.gz", "<html>404 Not Found</html>"u8.ToArray());

        var e = Assert.Throws<IdxFormatException>(() => Idx.ReadImages(path));

        Assert.StartsWith("wrong magic: expected 2051 for images, found ", e.Problem, StringComparison.Ordinal);
        Assert.Contains("does not start with the gzip magic 1f 8b", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptGzipBodyFails()
    {
        byte[] gz = IdxFixture.Gzip(IdxFixture.Images(5));
        for (int i = 10; i < gz.Length - 8; i++)
        {
            gz[i] ^= 0x5a;
        }
        string path = dir.File("img.gz", gz);

        var e = Assert.Throws<IdxFormatException>(() => Idx.ReadImages(path));

        Assert.Equal(path, e.FilePath);
        Assert.Matches("corrupt gzip|wrong magic|truncated", e.Problem);
    }

    [Fact]
    public void EmptyAndTinyFilesFail()
    {
        string empty = dir.File("empty", []);
        string tiny = dir.File("tiny", IdxFixture.Images(1)[..10]);

        Assert.Equal(
            "empty file: expected a 16-byte IDX images header, found 0 bytes",
            Assert.Throws<IdxFormatException>(() => Idx.ReadImages(empty)).Problem
        );
        Assert.Equal(
            "truncated: expected at least 16 bytes of header, found 10",
            Assert.Throws<IdxFormatException>(() => Idx.ReadImages(tiny)).Problem
        );
    }

    [Fact]
    public void LabelOutOfRangeFails()
    {
        byte[] labels = IdxFixture.Labels(5);
        labels[8 + 3] = 12;
        string path = dir.File("lbl", labels);

        Assert.Equal(
            "bad label: expected 0..9, found 12 at index 3",
            Assert.Throws<IdxFormatException>(() => Idx.ReadLabels(path)).Problem
        );
    }

    [Fact]
    public void ImageAndLabelCountMismatchNamesBothFiles()
    {
        string images = dir.File("img", IdxFixture.Images(5));
        string labels = dir.File("lbl.gz", IdxFixture.Gzip(IdxFixture.Labels(4)));

        var e = Assert.Throws<IdxFormatException>(() => Mnist.ReadSet(images, labels));

        Assert.Equal(labels, e.FilePath);
        Assert.Equal($"count mismatch: expected 5 labels to match the 5 images of {images}, found 4", e.Problem);
    }

    [Fact]
    public void ReadSetKeepsTheFirstLimitImages()
    {
        string images = dir.File("img", IdxFixture.Images(5));
        string labels = dir.File("lbl", IdxFixture.Labels(5));

        MnistSet set = Mnist.ReadSet(images, labels, limit: 3);
        MnistSet all = Mnist.ReadSet(images, labels, limit: 100);

        Assert.Equal(3, set.Count);
        Assert.Equal([0, 1, 2], set.Labels);
        Assert.Equal(IdxFixture.Images(5).AsSpan(16, 3 * 784).ToArray(), set.Images);
        Assert.Equal(5, all.Count);
    }
}

using MnistNotebooks.Data;

namespace MnistNotebooks.Tests.Data;

public sealed class MnistSetTests
{
    /// <summary>Three images: all 0, all 255, and image 2 = pixel index % 256.</summary>
    private static MnistSet Small()
    {
        var images = new byte[3 * 784];
        images.AsSpan(784, 784).Fill(255);
        for (int k = 0; k < 784; k++)
        {
            images[(2 * 784) + k] = (byte)(k % 256);
        }
        return new MnistSet(images, [7, 1, 7]);
    }

    [Fact]
    public void PixelFormsHaveShapeCountBy784AndTheRightValues()
    {
        MnistSet set = Small();

        Matrix<float> raw = set.RawPixels();
        Matrix<float> scaled = set.ScaledPixels();

        Assert.Equal((3, 784), (raw.Rows, raw.Cols));
        Assert.Equal(255f, raw[1, 0]);
        Assert.Equal(200f, raw[2, 200]);
        Assert.Equal(1f, scaled[1, 783]);
        Assert.Equal(0f, scaled[0, 5]);
        Assert.Equal(200f / 255f, scaled[2, 200]);
    }

    [Fact]
    public void PixelStatsMatchAHandComputation()
    {
        // Pixels 0 and 255 in equal numbers: mean 0.5, population std 0.5 on the [0, 1] scale.
        byte[] pixels = [0, 255, 0, 255];

        PixelStats stats = PixelStats.Of(pixels);

        Assert.Equal(0.5f, stats.Mean, 6);
        Assert.Equal(0.5f, stats.Std, 6);
    }

    [Fact]
    public void StandardizedUsesTheStatsItIsGiven()
    {
        MnistSet set = Small();
        var trainStats = new PixelStats(0.25f, 0.5f);

        Matrix<float> z = set.StandardizedPixels(trainStats);

        Assert.Equal((0f - 0.25f) / 0.5f, z[0, 0], 6);
        Assert.Equal((1f - 0.25f) / 0.5f, z[1, 0], 6);
        Assert.Throws<ArgumentException>(() => set.StandardizedPixels(new PixelStats(0.1f, 0f)));
    }

    [Fact]
    public void StandardizedWithItsOwnStatsHasMeanZeroAndStdOne()
    {
        MnistSet set = Small();

        Matrix<float> z = set.StandardizedPixels(set.ComputePixelStats());

        double mean = z.Data.Average(v => (double)v);
        double std = Math.Sqrt(z.Data.Average(v => ((double)v - mean) * ((double)v - mean)));
        Assert.Equal(0, mean, 5);
        Assert.Equal(1, std, 4);
    }

    [Fact]
    public void TakeSliceAndSubsetCopyTheRightImages()
    {
        MnistSet set = Small();

        MnistSet first2 = set.Take(2);
        MnistSet last = set.Slice(2, 1);
        MnistSet picked = set.Subset([2, 0, 2]);

        Assert.Equal([7, 1], first2.Labels);
        Assert.Equal(3, set.Take(10).Count);
        Assert.Equal(set.Image(2).ToArray(), last.Image(0).ToArray());
        Assert.Equal([7, 7, 7], picked.Labels);
        Assert.Equal(set.Image(0).ToArray(), picked.Image(1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Subset([3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Slice(2, 2));
    }

    [Fact]
    public void ClassCountsAndOneHot()
    {
        MnistSet set = Small();

        int[] counts = set.ClassCounts();
        Matrix<float> oneHot = set.OneHotLabels();

        Assert.Equal([0, 1, 0, 0, 0, 0, 0, 2, 0, 0], counts);
        Assert.Equal((3, 10), (oneHot.Rows, oneHot.Cols));
        Assert.Equal(1f, oneHot[0, 7]);
        Assert.Equal(1f, oneHot[1, 1]);
        Assert.Equal(3f, oneHot.Data.Sum());
    }

    [Fact]
    public void ConstructorRejectsMismatchedLengthsAndBadLabels()
    {
        var e = Assert.Throws<ArgumentException>(() => new MnistSet(new byte[783], [1]));
        Assert.StartsWith("Expected 1 × 784 = 784 pixel bytes for 1 labels but got 783", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new MnistSet(new byte[784], [10]));
    }
}

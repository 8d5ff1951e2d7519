using MnistNotebooks.Data;
using MnistNotebooks.Kernels;
using MnistNotebooks.Tests.Kernels;

namespace MnistNotebooks.Tests.Data;

[Collection(ParallelismCollection.Name)]
public sealed class AugmentationTests
{
    /// <summary>A 28 × 28 image: a bright 6 × 4 bar at rows 10–15, columns 12–15, with a gradient so that a shift shows.</summary>
    private static Matrix<double> Bar(int copies = 1)
    {
        var m = new Matrix<double>(copies, 784);
        for (int i = 0; i < copies; i++)
        {
            for (int y = 10; y < 16; y++)
            {
                for (int x = 12; x < 16; x++)
                {
                    m[i, y * 28 + x] = (x - 11) / 4.0;
                }
            }
        }
        return m;
    }

    [Fact]
    public void NoDistortionIsTheIdentity()
    {
        Matrix<double> x = Bar(3);
        Assert.Equal(x.Data, Augmentation.Apply(x, new AugmentOptions(), seed: 1).Data);
    }

    [Fact]
    public void AWholePixelDisplacementShiftsExactly()
    {
        double[] image = Bar().Data,
            shifted = new double[784];
        // Sampling at x + 2 moves the content two pixels left; at y − 1 one pixel down.
        Augmentation.Warp<double>(image, shifted, Enumerable.Repeat(2.0, 784).ToArray(), Enumerable.Repeat(-1.0, 784).ToArray());
        for (int y = 0; y < 28; y++)
        {
            for (int x = 0; x < 28; x++)
            {
                double expected = x + 2 < 28 && y - 1 >= 0 ? image[(y - 1) * 28 + x + 2] : 0;
                Assert.Equal(expected, shifted[y * 28 + x]);
            }
        }
        // Half a pixel is the average of the two neighbours.
        var half = new double[784];
        Augmentation.Warp<double>(image, half, Enumerable.Repeat(0.5, 784).ToArray(), new double[784]);
        Assert.Equal((image[10 * 28 + 13] + image[10 * 28 + 14]) / 2, half[10 * 28 + 13], 15);
    }

    [Fact]
    public void DeterministicForASeedWhateverTheThreadCount()
    {
        var options = new AugmentOptions
        {
            MaxRotationDegrees = 15,
            MaxScale = 0.1,
            MaxShearDegrees = 10,
            MaxShift = 2,
            ElasticAlpha = 34,
        };
        Matrix<double> x = Bar(50);
        Matrix<double> one = ThreadLimit.Run(1, () => Augmentation.Apply(x, options, seed: 7)),
            two = ThreadLimit.Run(2, () => Augmentation.Apply(x, options, seed: 7));
        Assert.Equal(one.Data, two.Data);
        Assert.NotEqual(one.Data, Augmentation.Apply(x, options, seed: 8).Data);
        // Every image gets its own distortion, each stays in [0, 1] (bilinear sampling is a convex combination).
        Assert.NotEqual(one.Row(0).ToArray(), one.Row(1).ToArray());
        Assert.All(one.Data, v => Assert.InRange(v, 0, 1));
    }

    [Fact]
    public void SmallDistortionsKeepTheInkRoughly()
    {
        Matrix<double> x = Bar(200);
        double ink = x.Row(0).ToArray().Sum();
        Matrix<double> y = Augmentation.Apply(
            x,
            new AugmentOptions
            {
                MaxRotationDegrees = 10,
                MaxShift = 1,
                ElasticAlpha = 8,
                ElasticSigma = 4,
            },
            seed: 3
        );
        double mean = Enumerable.Range(0, 200).Average(i => y.Row(i).ToArray().Sum());
        Assert.InRange(mean, 0.9 * ink, 1.1 * ink);
        // The distortion moves pixels: the copies differ from the original.
        Assert.True(Enumerable.Range(0, 200).Count(i => !y.Row(i).SequenceEqual(x.Row(i))) > 195);
    }

    [Fact]
    public void BadOptionsSayWhatWasExpected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Augmentation.Apply(Bar(), new AugmentOptions { MaxScale = 1 }, 0));
        Assert.Contains("MaxScale < 1", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Augmentation.Apply(Bar(), new AugmentOptions { ElasticSigma = 0 }, 0));
        Assert.Throws<ShapeMismatchException>(() => Augmentation.Apply(new Matrix<double>(2, 10), new AugmentOptions(), 0));
    }
}

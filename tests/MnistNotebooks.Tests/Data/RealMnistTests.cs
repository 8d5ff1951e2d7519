using System.Diagnostics;
using System.Security.Cryptography;
using MnistNotebooks.Data;
using Xunit.Abstractions;

namespace MnistNotebooks.Tests.Data;

/// <summary>Checks the real files, found through <see cref="RealData"/>.</summary>
public sealed class RealMnistTests(ITestOutputHelper output)
{
    private static readonly int[] TrainClassCounts = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
    private static readonly int[] TestClassCounts = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

    [Fact]
    public void RealMnistHasTheKnownCountsClassesAndPixelRange()
    {
        string dir = RealData.Directory();

        var clock = Stopwatch.StartNew();
        MnistData data = Mnist.Load(
            options: new MnistOptions
            {
                EnvironmentDirectory = dir,
                CacheDirectory = Path.GetTempPath(),
                AllowDownload = false,
            }
        );
        output.WriteLine($"Loaded {data} in {clock.ElapsedMilliseconds} ms");

        Assert.Equal(dir, data.Directory);
        Assert.Equal(Mnist.TrainCount, data.Train.Count);
        Assert.Equal(Mnist.TestCount, data.Test.Count);
        Assert.Equal(TrainClassCounts, data.Train.ClassCounts());
        Assert.Equal(TestClassCounts, data.Test.ClassCounts());
        Assert.Equal(980, data.Test.ClassCounts()[0]);
        Assert.Equal(0, data.Train.Images.Min());
        Assert.Equal(255, data.Train.Images.Max());
        Assert.Equal(255, data.Test.Images.Max());

        PixelStats stats = data.Train.ComputePixelStats();
        output.WriteLine($"Train pixels: {stats}");
        Assert.Equal(0.1307f, stats.Mean, 4);
        Assert.Equal(0.3081f, stats.Std, 4);
    }

    [Fact]
    public void RealMnistRawSha256MatchesTheReadme()
    {
        string dir = RealData.Directory();

        foreach (MnistFile file in MnistFile.All)
        {
            string path = Mnist.FindFile(dir, file)!;
            string sha = Convert.ToHexStringLower(SHA256.HashData(Idx.ReadAllBytes(path)));
            output.WriteLine($"{file.Name} | raw SHA-256 {sha} | {(sha == file.RawSha256 ? "OK" : "MISMATCH")}");
            Assert.Equal(file.RawSha256, sha);
        }
    }

    [Fact]
    public void RealMnistLoadsWithALimit()
    {
        string dir = RealData.Directory();

        MnistData data = Mnist.LoadFrom(dir, limit: 1000);

        Assert.Equal(1000, data.Train.Count);
        Assert.Equal(1000, data.Test.Count);
        Assert.Equal(5, data.Train.Labels[0]);
        Assert.Equal(7, data.Test.Labels[0]);
        Assert.Equal((1000, 784), (data.Train.ScaledPixels().Rows, data.Train.ScaledPixels().Cols));
    }
}

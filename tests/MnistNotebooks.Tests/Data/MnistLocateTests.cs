using MnistNotebooks.Data;

namespace MnistNotebooks.Tests.Data;

/// <summary>Search order: explicit directory, then MNIST_DIR (injected, never the process environment), then the cache; no downloads here.</summary>
public sealed class MnistLocateTests : IDisposable
{
    private readonly TempDir root = new();

    public void Dispose() => root.Dispose();

    /// <summary>A directory holding a full set whose train count identifies it.</summary>
    private string SetWith(string name, int trainCount, bool gzip = false) =>
        IdxFixture.WriteSet(root.Sub(name), IdxFixture.Set(trainCount, 2), gzip);

    private MnistOptions Offline(string? env, string? cache) =>
        new()
        {
            EnvironmentDirectory = env,
            CacheDirectory = cache ?? root.Sub("empty-cache"),
            AllowDownload = false,
            Mirrors = [],
        };

    [Fact]
    public void ExplicitDirectoryBeatsEnvironmentBeatsCache()
    {
        string explicitDir = SetWith("explicit", 3);
        string env = SetWith("env", 4, gzip: true);
        string cache = SetWith("cache", 5);

        Assert.Equal(3, Mnist.Load(explicitDir, options: Offline(env, cache)).Train.Count);
        Assert.Equal(4, Mnist.Load(options: Offline(env, cache)).Train.Count);
        Assert.Equal(5, Mnist.Load(options: Offline(null, cache)).Train.Count);
        Assert.Equal(5, Mnist.Load(options: Offline("", cache)).Train.Count);
        Assert.Equal(5, Mnist.Load(options: Offline("  ", cache)).Train.Count);
    }

    [Fact]
    public async Task EnvironmentDirectoryWithoutMnistFailsWithoutFallingBackToTheCacheOrADownload()
    {
        string cache = SetWith("cache", 5);
        string env = root.Sub("incomplete-env");
        File.WriteAllBytes(Path.Combine(env, MnistFile.TrainImages.Name), IdxFixture.Images(1));
        await using var server = new LoopbackServer(_ => Reply.NotFound);
        using HttpClient http = LoopbackServer.Client();
        MnistOptions options = Offline(env, cache) with { AllowDownload = true, Mirrors = [server.Mirror], HttpClient = http };

        var e = await Assert.ThrowsAsync<MnistNotFoundException>(() => Mnist.LoadAsync(options: options));

        Assert.StartsWith($"MNIST_DIR is set to {env}, but it does not hold MNIST:", e.Message, StringComparison.Ordinal);
        Assert.Equal(
            [$"MNIST_DIR={env}: missing train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]"],
            e.Searched
        );
        Assert.Contains(e.Searched[0], e.Message, StringComparison.Ordinal);
        Assert.Contains("or unset it", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(cache, e.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void LoadReportsWhereItReadAndAppliesTheLimitToBothSets()
    {
        string env = SetWith("env", 5, gzip: true);

        MnistData data = Mnist.Load(limit: 1, options: Offline(env, null));

        Assert.Equal(env, data.Directory);
        Assert.Equal(1, data.Train.Count);
        Assert.Equal(1, data.Test.Count);
        Assert.Equal(3, data.Test.Labels[0]);
    }

    [Fact]
    public void MixedRawAndGzipFilesInOneDirectoryLoad()
    {
        string dir = SetWith("mixed", 5);
        string trainImages = Path.Combine(dir, MnistFile.TrainImages.Name);
        File.WriteAllBytes(trainImages + ".gz", IdxFixture.Gzip(File.ReadAllBytes(trainImages)));
        File.Delete(trainImages);

        Assert.Equal(5, Mnist.LoadFrom(dir).Train.Count);
    }

    [Fact]
    public void ExplicitDirectoryWithoutTheFilesFailsWithoutFallingBack()
    {
        string cache = SetWith("cache", 5);
        string empty = root.Sub("nothing-here");

        var e = Assert.Throws<MnistNotFoundException>(() => Mnist.Load(empty, options: Offline(null, cache)));

        Assert.Contains(empty, e.Message, StringComparison.Ordinal);
        Assert.Contains("missing train-images-idx3-ubyte[.gz]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NothingFoundAndNoDownloadListsEveryPlaceSearched()
    {
        string cache = Path.Combine(root.Path, "no-such-cache");

        var e = Assert.Throws<MnistNotFoundException>(() => Mnist.Load(options: Offline(null, cache)));

        Assert.Contains("downloading is disabled", e.Message, StringComparison.Ordinal);
        Assert.Equal(["MNIST_DIR: not set", $"cache {cache}: no such directory"], e.Searched);
        Assert.Contains($"cache {cache}: no such directory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RelativeEnvironmentDirectoryIsAlsoTriedFromTheRepositoryRoot()
    {
        // `export MNIST_DIR=../mnist` in the root, then dotnet test runs from bin/: the root still finds it.
        string repo = root.Sub("repo");
        IdxFixture.WriteSet(Path.Combine(repo, "..", "shared", "mnist"), IdxFixture.Set(6, 2), gzip: false);
        string relative = Path.Combine("..", "shared", "mnist");

        MnistData data = Mnist.Load(options: Offline(relative, null) with { RepositoryRoot = repo });

        Assert.Equal(6, data.Train.Count);
        Assert.Equal(Path.GetFullPath(Path.Combine(repo, relative)), data.Directory);
        // A relative value that names nothing reports both places it was resolved to, and nothing else.
        var e = Assert.Throws<MnistNotFoundException>(() =>
            Mnist.Load(options: Offline(Path.Combine("no", "such"), SetWith("cache", 5)) with { RepositoryRoot = repo })
        );
        Assert.Equal(
            [
                $"MNIST_DIR={Path.Combine("no", "such")} (as {Path.GetFullPath(Path.Combine("no", "such"))}): no such directory",
                $"MNIST_DIR={Path.Combine("no", "such")} (as {Path.Combine(repo, "no", "such")}): no such directory",
            ],
            e.Searched
        );
        Assert.Contains(e.Searched[1], e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RepositoryRootIsFoundByWalkingUpToTheSolution()
    {
        File.WriteAllText(Path.Combine(root.Path, Mnist.SolutionFileName), "");
        string nested = Directory.CreateDirectory(Path.Combine(root.Path, "notebooks", "01-data")).FullName;

        Assert.Equal(root.Path, Mnist.FindRepositoryRoot(nested));
        Assert.Null(Mnist.FindRepositoryRoot(Path.GetTempPath()));
    }

    [Fact]
    public void DefaultCacheIsDataMnistUnderThisRepository()
    {
        // The tests run from bin/ inside the repository, so the walk up from the assembly finds it.
        string? cache = Mnist.DefaultCacheDirectory();

        Assert.NotNull(cache);
        Assert.True(File.Exists(Path.Combine(cache, "..", "..", Mnist.SolutionFileName)), cache);
        Assert.EndsWith(Path.Combine("data", "mnist"), cache, StringComparison.Ordinal);
    }
}

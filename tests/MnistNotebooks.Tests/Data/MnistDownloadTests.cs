using MnistNotebooks.Data;

namespace MnistNotebooks.Tests.Data;

/// <summary>The downloader against a loopback server started here: never the internet.</summary>
[Collection(TimeoutCollection.Name)]
public sealed class MnistDownloadTests : IDisposable
{
    /// <summary>Fails the test instead of hanging it when a download never ends.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(15);

    /// <summary>The read timeout of the stalling tests: short, but long enough that a busy machine never trips
    /// it on loopback, as long as nothing else in this process holds the thread pool (see <see cref="TimeoutCollection"/>).</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    private readonly TempDir root = new();
    private readonly HttpClient http = LoopbackServer.Client();
    private readonly byte[][] contents = IdxFixture.Set(5, 3);

    public void Dispose()
    {
        http.Dispose();
        root.Dispose();
    }

    private MnistOptions Options(string cache, params Uri[] mirrors) =>
        new()
        {
            EnvironmentDirectory = null,
            CacheDirectory = cache,
            Mirrors = mirrors,
            HttpClient = http,
            Files = IdxFixture.FilesFor(contents),
        };

    /// <summary>Serves the generated files gzipped at /mnist/&lt;name&gt;.gz; <paramref name="tamper"/> may change the reply.</summary>
    private Func<string, Reply> Serving(Func<string, Reply, Reply>? tamper = null) =>
        path =>
        {
            int i = Array.FindIndex(MnistFile.All.ToArray(), f => path == $"/mnist/{f.Name}.gz");
            if (i < 0)
            {
                return Reply.NotFound;
            }
            var good = new Reply(200, IdxFixture.Gzip(contents[i]));
            return tamper is null ? good : tamper(path, good);
        };

    [Fact]
    public async Task DownloadsVerifiesAndMovesIntoTheCache()
    {
        await using var server = new LoopbackServer(Serving());
        string cache = Path.Combine(root.Path, "cache");
        var reports = new List<MnistDownloadProgress>();

        MnistData data = await Mnist.LoadAsync(options: Options(cache, server.Mirror) with { Progress = new SyncProgress(reports) });

        Assert.Equal(5, data.Train.Count);
        Assert.Equal(3, data.Test.Count);
        Assert.Equal(cache, data.Directory);
        Assert.Equal(MnistFile.All.Select(f => f.Name + ".gz").Order(), Directory.GetFiles(cache).Select(Path.GetFileName).Order());
        Assert.Equal(4, server.Requests.Count);
        Assert.Contains(reports, r => r.FileName == MnistFile.TrainImages.Name && r.BytesReceived == r.TotalBytes);

        // A second load finds the cache and does not download again.
        await Mnist.LoadAsync(options: Options(cache, server.Mirror));
        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public async Task CorruptedFileFailsWithBothHashesAndLeavesNothing()
    {
        byte[] other = IdxFixture.Gzip(IdxFixture.Images(6)); // a valid IDX file, just not the expected one
        await using var server = new LoopbackServer(
            Serving((path, good) => path.Contains("train-images", StringComparison.Ordinal) ? good with { Body = other } : good)
        );
        string cache = Path.Combine(root.Path, "cache");

        var e = await Assert.ThrowsAsync<MnistNotFoundException>(() => Mnist.LoadAsync(options: Options(cache, server.Mirror)));

        Assert.Contains(
            $"{server.Mirror}train-images-idx3-ubyte.gz: hash mismatch: expected raw SHA-256 {IdxFixture.Sha256(contents[0])}, got ",
            e.Message,
            StringComparison.Ordinal
        );
        Assert.Empty(Directory.GetFiles(cache));
    }

    [Fact]
    public async Task CorruptGzipReplyFailsAndLeavesNothing()
    {
        await using var server = new LoopbackServer(
            Serving(
                (path, good) =>
                {
                    byte[] broken = (byte[])good.Body.Clone();
                    for (int i = 10; i < broken.Length - 8; i++)
                    {
                        broken[i] ^= 0x5a;
                    }
                    return good with { Body = broken };
                }
            )
        );
        string cache = Path.Combine(root.Path, "cache");

        var e = await Assert.ThrowsAsync<MnistNotFoundException>(() => Mnist.LoadAsync(options: Options(cache, server.Mirror)));

        Assert.Contains($"{server.Mirror}train-images-idx3-ubyte.gz: ", e.Message, StringComparison.Ordinal);
        Assert.Matches("corrupt gzip data|hash mismatch", e.DownloadErrors[0]);
        Assert.Empty(Directory.GetFiles(cache));
    }

    [Fact]
    public async Task TransferCutShortFailsAndLeavesNothing()
    {
        await using var server = new LoopbackServer(
            Serving(
                (path, good) =>
                    path.Contains("train-labels", StringComparison.Ordinal)
                        ? good with
                        {
                            Body = good.Body[..(good.Body.Length / 2)],
                            DeclaredLength = good.Body.Length,
                        }
                        : good
            )
        );
        string cache = Path.Combine(root.Path, "cache");

        var e = await Assert.ThrowsAsync<MnistNotFoundException>(() => Mnist.LoadAsync(options: Options(cache, server.Mirror)));

        Assert.Contains($"{server.Mirror}train-labels-idx1-ubyte.gz: cut short: expected ", e.Message, StringComparison.Ordinal);
        Assert.Single(e.DownloadErrors);
        // Train images had already arrived whole; nothing partial or temporary remains.
        Assert.Equal([MnistFile.TrainImages.Name + ".gz"], Directory.GetFiles(cache).Select(Path.GetFileName));
    }

    [Fact]
    public async Task FallsBackToTheNextMirror()
    {
        await using var broken = new LoopbackServer(
            Serving((path, good) => path.Contains("t10k", StringComparison.Ordinal) ? Reply.NotFound : good with { Body = [1, 2, 3] })
        );
        await using var good = new LoopbackServer(Serving());
        string cache = Path.Combine(root.Path, "cache");

        MnistData data = await Mnist.LoadAsync(options: Options(cache, broken.Mirror, good.Mirror));

        Assert.Equal(5, data.Train.Count);
        Assert.Equal(4, broken.Requests.Count);
        Assert.Equal(4, good.Requests.Count);
        Assert.Equal(4, Directory.GetFiles(cache).Length);
    }

    [Fact]
    public async Task EveryMirrorFailingListsEachAttempt()
    {
        await using var a = new LoopbackServer(_ => Reply.NotFound);
        await using var b = new LoopbackServer(_ => new Reply(500, []));
        string cache = Path.Combine(root.Path, "cache");

        var e = await Assert.ThrowsAsync<MnistNotFoundException>(() => Mnist.LoadAsync(options: Options(cache, a.Mirror, b.Mirror)));

        Assert.Equal(
            [$"{a.Mirror}train-images-idx3-ubyte.gz: HTTP 404 X", $"{b.Mirror}train-images-idx3-ubyte.gz: HTTP 500 X"],
            e.DownloadErrors
        );
        Assert.Contains("could not be downloaded", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(cache));
    }

    private Func<string, Reply> StallingOn(string part) =>
        Serving((path, good) => path.Contains(part, StringComparison.Ordinal) ? good with { StallAfter = good.Body.Length / 2 } : good);

    private static string[] Temps(string cache) =>
        Directory.Exists(cache) ? Directory.GetFiles(cache, "*.download.tmp").Select(p => Path.GetFileName(p)).ToArray() : [];

    /// <summary>The temp files once the client has received the stalling reply's headers and created one.</summary>
    private static async Task<string[]> TempsOnceStalled(LoopbackServer server, string cache)
    {
        await server.Stalled.WaitAsync(Hang);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Temps(cache).Length == 0 && waited.Elapsed < Hang)
        {
            await Task.Delay(10);
        }
        return Temps(cache);
    }

    [Fact]
    public async Task BodyStallingMidwayTimesOutNamingTheFileTheMirrorAndTheWaitAndLeavesNothing()
    {
        await using var server = new LoopbackServer(StallingOn("train-images"));
        string cache = Path.Combine(root.Path, "cache");
        MnistOptions options = Options(cache, server.Mirror) with { ReadTimeout = Quiet };

        var e = await Assert.ThrowsAsync<MnistNotFoundException>(() => Mnist.LoadAsync(options: options)).WaitAsync(Hang);

        int total = IdxFixture.Gzip(contents[0]).Length;
        Assert.Equal(
            $"{server.Mirror}train-images-idx3-ubyte.gz: stalled: no data for 1 s (MnistOptions.ReadTimeout) "
                + $"after {total / 2} of {total} bytes (Content-Length)",
            Assert.Single(e.DownloadErrors)
        );
        Assert.Empty(Directory.GetFiles(cache));
    }

    [Fact]
    public async Task ServerSendingNoHeadersTimesOutToo()
    {
        await using var server = new LoopbackServer(_ => new Reply(200, [], StallAfter: -1));
        string cache = Path.Combine(root.Path, "cache");
        MnistOptions options = Options(cache, server.Mirror) with { ReadTimeout = Quiet };

        var e = await Assert.ThrowsAsync<MnistNotFoundException>(() => Mnist.LoadAsync(options: options)).WaitAsync(Hang);

        Assert.Equal(
            [
                $"{server.Mirror}train-images-idx3-ubyte.gz: stalled: no data for 1 s (MnistOptions.ReadTimeout) while waiting for the response headers",
            ],
            e.DownloadErrors
        );
        Assert.Empty(Directory.GetFiles(cache));
    }

    [Fact]
    public async Task StalledMirrorFallsBackToTheNext()
    {
        await using var stalling = new LoopbackServer(StallingOn("t10k-labels"));
        await using var good = new LoopbackServer(Serving());
        string cache = Path.Combine(root.Path, "cache");
        MnistOptions options = Options(cache, stalling.Mirror, good.Mirror) with { ReadTimeout = Quiet };

        MnistData data = await Mnist.LoadAsync(options: options).WaitAsync(Hang);

        Assert.Equal(3, data.Test.Count);
        Assert.Equal(["/mnist/t10k-labels-idx1-ubyte.gz"], good.Requests);
        Assert.Equal(4, Directory.GetFiles(cache).Length);
    }

    [Fact]
    public async Task CancellingMidBodyDeletesTheTempFile()
    {
        await using var server = new LoopbackServer(StallingOn("train-labels"));
        string cache = Path.Combine(root.Path, "cache");
        using var cancel = new CancellationTokenSource();

        Task<MnistData> load = Mnist.LoadAsync(options: Options(cache, server.Mirror), cancellationToken: cancel.Token);
        Assert.Single(await TempsOnceStalled(server, cache)); // the half-received file is there, under its temporary name only
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => load).WaitAsync(Hang);
        Assert.Empty(Temps(cache));
        Assert.Equal([MnistFile.TrainImages.Name + ".gz"], Directory.GetFiles(cache).Select(Path.GetFileName));
    }

    [Fact]
    public async Task TempFilesLeftByAKilledDownloadAreRemovedByTheNext()
    {
        await using var server = new LoopbackServer(Serving());
        string cache = Directory.CreateDirectory(Path.Combine(root.Path, "cache")).FullName;
        // What a process killed mid-download leaves (a kill runs no finally), and a file of the user's.
        File.WriteAllBytes(Path.Combine(cache, $"{MnistFile.TrainLabels.Name}.{Guid.NewGuid():N}.download.tmp"), [0x1f, 0x8b, 1]);
        File.WriteAllText(Path.Combine(cache, "notes.txt"), "mine");

        await Mnist.LoadAsync(options: Options(cache, server.Mirror));

        Assert.Empty(Temps(cache));
        Assert.Equal(
            MnistFile.All.Select(f => f.Name + ".gz").Append("notes.txt").Order(),
            Directory.GetFiles(cache).Select(Path.GetFileName).Order()
        );
    }

    [Fact]
    public async Task TempFileOfADownloadStillRunningIsNotRemoved()
    {
        // Two loads into one cache at once (two notebooks): the second must not delete the first one's live temp file.
        await using var stalling = new LoopbackServer(StallingOn("train-images"));
        await using var good = new LoopbackServer(Serving());
        string cache = Path.Combine(root.Path, "cache");
        using var cancel = new CancellationTokenSource();
        Task<MnistData> first = Mnist.LoadAsync(options: Options(cache, stalling.Mirror), cancellationToken: cancel.Token);
        string[] live = await TempsOnceStalled(stalling, cache);

        MnistData second = await Mnist.LoadAsync(options: Options(cache, good.Mirror)).WaitAsync(Hang);

        Assert.Equal(5, second.Train.Count);
        Assert.Single(live);
        Assert.Equal(live, Temps(cache));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first).WaitAsync(Hang);
        Assert.Empty(Temps(cache));
    }

    [Fact]
    public void ReadTimeoutMustBePositiveOrInfinite()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), new MnistOptions().ReadTimeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, new MnistOptions { ReadTimeout = Timeout.InfiniteTimeSpan }.ReadTimeout);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MnistOptions { ReadTimeout = TimeSpan.Zero });
        Assert.Equal("ReadTimeout", e.ParamName);
    }

    [Fact]
    public async Task UncompressedReplyIsVerifiedByRawHashAndSavedWithoutGz()
    {
        await using var server = new LoopbackServer(path =>
        {
            int i = Array.FindIndex(MnistFile.All.ToArray(), f => path == $"/mnist/{f.Name}.gz");
            return i < 0 ? Reply.NotFound : new Reply(200, contents[i]);
        });
        string cache = Path.Combine(root.Path, "cache");

        MnistData data = await Mnist.LoadAsync(options: Options(cache, server.Mirror));

        Assert.Equal(5, data.Train.Count);
        Assert.True(File.Exists(Path.Combine(cache, MnistFile.TrainImages.Name)));
    }

    [Fact]
    public async Task RealGzFilesServedLocallyPassTheDefaultHashes()
    {
        string? mnistDir = Environment.GetEnvironmentVariable(Mnist.EnvironmentVariable);
        if (mnistDir is null || Mnist.FindFile(mnistDir, MnistFile.TrainImages) is null)
        {
            return; // Needs the real files (MNIST_DIR); skipped otherwise.
        }
        await using var server = new LoopbackServer(path =>
        {
            MnistFile? f = MnistFile.All.FirstOrDefault(f => path == $"/mnist/{f.Name}.gz");
            string? local = f is null ? null : Mnist.FindFile(mnistDir, f);
            return local is null ? Reply.NotFound : new Reply(200, File.ReadAllBytes(local));
        });
        string cache = Path.Combine(root.Path, "cache");

        MnistData data = await Mnist.LoadAsync(limit: 10, options: Options(cache, server.Mirror) with { Files = MnistFile.All });

        Assert.Equal(10, data.Train.Count);
        Assert.Equal(4, Directory.GetFiles(cache).Length);
    }

    /// <summary>Records reports synchronously (Progress&lt;T&gt; would post them later).</summary>
    private sealed class SyncProgress(List<MnistDownloadProgress> reports) : IProgress<MnistDownloadProgress>
    {
        public void Report(MnistDownloadProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}

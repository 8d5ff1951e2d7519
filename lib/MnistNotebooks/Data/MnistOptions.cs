namespace MnistNotebooks.Data;

/// <summary>Where <see cref="Mnist.Load"/> looks for MNIST and how it downloads it; every field is injectable for tests.</summary>
public sealed record MnistOptions
{
    /// <summary>The second place searched; defaults to the <c>MNIST_DIR</c> environment variable (read when the options are
    /// created). Null, empty or blank skips it; otherwise it must hold MNIST, or loading fails rather than fall back.</summary>
    public string? EnvironmentDirectory { get; init; } = Environment.GetEnvironmentVariable(Mnist.EnvironmentVariable);

    /// <summary>The folder holding <c>MnistNotebooks.sln</c>, against which a relative <c>MNIST_DIR</c> is also tried; null finds it above the current directory or this assembly.</summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>The third place searched and where downloads go; null means <c>data/mnist</c> under the repository root (the folder holding <c>MnistNotebooks.sln</c>).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Download into the cache when no directory holds the files.</summary>
    public bool AllowDownload { get; init; } = true;

    /// <summary>Base URLs tried in order; each file is fetched as <c>mirror + name + ".gz"</c>.</summary>
    public IReadOnlyList<Uri> Mirrors { get; init; } = Mnist.DefaultMirrors;

    /// <summary>How long a download may wait for the next bytes (response headers, then each read of the body) before
    /// it gives up on that mirror; <see cref="HttpClient.Timeout"/> covers only the headers. Positive, or
    /// <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public TimeSpan ReadTimeout
    {
        get => readTimeout;
        init =>
            readTimeout =
                value == Timeout.InfiniteTimeSpan || (value > TimeSpan.Zero && value.TotalMilliseconds <= int.MaxValue)
                    ? value
                    : throw new ArgumentOutOfRangeException(
                        nameof(ReadTimeout),
                        value,
                        $"Expected a positive {nameof(ReadTimeout)} of at most {int.MaxValue} ms, or Timeout.InfiniteTimeSpan"
                    );
    }

    private readonly TimeSpan readTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The client used for downloads; null uses a shared one.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>The four files (train images, train labels, test images, test labels) with the hashes a download must match.</summary>
    public IReadOnlyList<MnistFile> Files { get; init; } = MnistFile.All;

    /// <summary>Receives download progress; null for none.</summary>
    public IProgress<MnistDownloadProgress>? Progress { get; init; }
}

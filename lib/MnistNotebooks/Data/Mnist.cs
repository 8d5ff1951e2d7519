namespace MnistNotebooks.Data;

/// <summary>Loads MNIST from an explicit directory, else <c>MNIST_DIR</c> (an error if set but without MNIST), else the
/// repository's <c>data/mnist</c> cache, else a verified download into that cache.</summary>
public static class Mnist
{
    public const int ImageSize = 28;
    public const int Pixels = ImageSize * ImageSize;
    public const int Classes = 10;
    public const int TrainCount = 60_000;
    public const int TestCount = 10_000;
    public const string EnvironmentVariable = "MNIST_DIR";
    public const string SolutionFileName = "MnistNotebooks.sln";

    /// <summary>Public mirrors of the original gzipped files, tried in order.</summary>
    public static IReadOnlyList<Uri> DefaultMirrors { get; } =
    [new("https://ossci-datasets.s3.amazonaws.com/mnist/"), new("https://storage.googleapis.com/cvdf-datasets/mnist/")];

    /// <summary>Loads train and test; <paramref name="limit"/> keeps only the first N images of each.</summary>
    public static MnistData Load(string? directory = null, int? limit = null, MnistOptions? options = null) =>
        Task.Run(() => LoadAsync(directory, limit, options)).GetAwaiter().GetResult();

    /// <summary>Loads train and test; <paramref name="limit"/> keeps only the first N images of each.</summary>
    public static async Task<MnistData> LoadAsync(
        string? directory = null,
        int? limit = null,
        MnistOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        options ??= new MnistOptions();
        string found = await LocateAsync(directory, options, cancellationToken).ConfigureAwait(false);
        return LoadFrom(found, limit, options.Files);
    }

    /// <summary>Reads the four files from exactly <paramref name="directory"/> (each as <c>name</c> or <c>name.gz</c>), no search, no download.</summary>
    public static MnistData LoadFrom(string directory, int? limit = null, IReadOnlyList<MnistFile>? files = null)
    {
        files = CheckFiles(files ?? MnistFile.All);
        string Path(MnistFile f) =>
            FindFile(directory, f)
            ?? throw new FileNotFoundException(
                $"Expected {f.Name} or {f.Name}.gz in {directory} but found neither",
                System.IO.Path.Combine(directory, f.Name)
            );
        MnistSet train = ReadSet(Path(files[0]), Path(files[1]), limit);
        MnistSet test = ReadSet(Path(files[2]), Path(files[3]), limit);
        return new MnistData(train, test, directory);
    }

    /// <summary>Reads an images file and its labels file (gzipped or raw), checks they hold the same count, keeps the first <paramref name="limit"/>.</summary>
    public static MnistSet ReadSet(string imagesPath, string labelsPath, int? limit = null)
    {
        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), $"Expected a limit >= 0 but got {limit}");
        }
        byte[] images = Idx.ReadImages(imagesPath);
        byte[] labels = Idx.ReadLabels(labelsPath);
        int count = images.Length / Pixels;
        if (count != labels.Length)
        {
            throw new IdxFormatException(
                labelsPath,
                $"count mismatch: expected {count} labels to match the {count} images of {imagesPath}, found {labels.Length}"
            );
        }
        int n = Math.Min(count, limit ?? count);
        byte[] kept = n == count ? images : images.AsSpan(0, n * Pixels).ToArray();
        var ints = new int[n];
        for (int i = 0; i < n; i++)
        {
            ints[i] = labels[i];
        }
        return new MnistSet(kept, ints);
    }

    /// <summary>The directory that holds all four files, searching in order and downloading into the cache as a last resort;
    /// a directory passed here or a non-empty <c>MNIST_DIR</c> that lacks them is an error, never a fallback.</summary>
    public static async Task<string> LocateAsync(string? directory, MnistOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<MnistFile> files = CheckFiles(options.Files);
        if (directory is not null)
        {
            string? missing = Missing(directory, files);
            return missing is null
                ? directory
                : throw new MnistNotFoundException(
                    $"Expected MNIST in the directory given, {directory}, but {missing}",
                    [$"{directory}: {missing}"],
                    []
                );
        }

        var searched = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.EnvironmentDirectory))
        {
            foreach (string candidate in EnvironmentCandidates(options))
            {
                string? missing = Missing(candidate, files);
                if (missing is null)
                {
                    return candidate;
                }
                string where = candidate == options.EnvironmentDirectory ? "" : $" (as {candidate})";
                searched.Add($"{EnvironmentVariable}={options.EnvironmentDirectory}{where}: {missing}");
            }
            // Set on purpose, so a typo must not turn into a silent download of another copy.
            throw new MnistNotFoundException(
                $"{EnvironmentVariable} is set to {options.EnvironmentDirectory}, but it does not hold MNIST:\n  "
                    + string.Join("\n  ", searched)
                    + $"\nPoint {EnvironmentVariable} at the folder holding {string.Join(", ", files.Select(f => f.Name + "[.gz]"))}, "
                    + "or unset it to use the data/mnist cache (downloading into it if need be).",
                searched,
                []
            );
        }
        else
        {
            searched.Add($"{EnvironmentVariable}: not set");
        }

        string? cache = options.CacheDirectory ?? DefaultCacheDirectory();
        if (cache is null)
        {
            searched.Add($"cache: no folder holding {SolutionFileName} above {Environment.CurrentDirectory} or {AppContext.BaseDirectory}");
        }
        else
        {
            string? missing = Missing(cache, files);
            if (missing is null)
            {
                return cache;
            }
            searched.Add($"cache {cache}: {missing}");
        }

        if (cache is null || !options.AllowDownload || options.Mirrors.Count == 0)
        {
            string why =
                cache is null ? "there is no cache to download into"
                : !options.AllowDownload ? "downloading is disabled"
                : "no mirrors are configured";
            throw new MnistNotFoundException(NotFoundMessage($"MNIST not found and {why}", searched, []), searched, []);
        }

        var errors = new List<string>();
        HttpClient http = options.HttpClient ?? MnistDownloader.SharedClient;
        MnistDownloader.RemoveStaleTemps(cache);
        foreach (MnistFile file in files)
        {
            if (
                FindFile(cache, file) is null
                && await MnistDownloader
                    .DownloadAsync(file, cache, options.Mirrors, http, options.ReadTimeout, options.Progress, errors, cancellationToken)
                    .ConfigureAwait(false)
                    is null
            )
            {
                throw new MnistNotFoundException(
                    NotFoundMessage($"MNIST not found and {file.Name} could not be downloaded", searched, errors),
                    searched,
                    errors
                );
            }
        }
        return cache;
    }

    /// <summary>Where <c>MNIST_DIR</c> may point: as given if absolute; if relative, from the current directory and then
    /// from the repository root, because the test host and the notebook runner change the current directory (to the
    /// test output and the notebook's folder) after the README's commands start in the root.</summary>
    private static IEnumerable<string> EnvironmentCandidates(MnistOptions options)
    {
        string env = options.EnvironmentDirectory!;
        if (Path.IsPathFullyQualified(env))
        {
            yield return env;
            yield break;
        }
        string fromCurrent = Path.GetFullPath(env);
        yield return fromCurrent;
        string? root = options.RepositoryRoot ?? FindRepositoryRoot();
        if (root is not null && Path.GetFullPath(Path.Combine(root, env)) is string fromRoot && fromRoot != fromCurrent)
        {
            yield return fromRoot;
        }
    }

    /// <summary><c>data/mnist</c> under the first folder holding <c>MnistNotebooks.sln</c> above the current directory or this assembly; null if none.</summary>
    public static string? DefaultCacheDirectory()
    {
        string? root = FindRepositoryRoot();
        return root is null ? null : Path.Combine(root, "data", "mnist");
    }

    /// <summary>The first folder holding <c>MnistNotebooks.sln</c> above the current directory or this assembly; null if none.</summary>
    private static string? FindRepositoryRoot() =>
        FindRepositoryRoot(Environment.CurrentDirectory)
        ?? FindRepositoryRoot(AppContext.BaseDirectory)
        ?? FindRepositoryRoot(Path.GetDirectoryName(typeof(Mnist).Assembly.Location));

    /// <summary>The nearest folder at or above <paramref name="start"/> that holds <c>MnistNotebooks.sln</c>; null if none.</summary>
    public static string? FindRepositoryRoot(string? start)
    {
        for (DirectoryInfo? d = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, SolutionFileName)))
            {
                return d.FullName;
            }
        }
        return null;
    }

    /// <summary>The path of <paramref name="file"/> in <paramref name="directory"/>, raw preferred over <c>.gz</c>; null if neither exists.</summary>
    public static string? FindFile(string directory, MnistFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        string raw = Path.Combine(directory, file.Name);
        return File.Exists(raw) ? raw
            : File.Exists(raw + ".gz") ? raw + ".gz"
            : null;
    }

    private static string? Missing(string directory, IReadOnlyList<MnistFile> files)
    {
        if (!Directory.Exists(directory))
        {
            return "no such directory";
        }
        string[] missing = files.Where(f => FindFile(directory, f) is null).Select(f => f.Name + "[.gz]").ToArray();
        return missing.Length == 0 ? null : "missing " + string.Join(", ", missing);
    }

    private static IReadOnlyList<MnistFile> CheckFiles(IReadOnlyList<MnistFile> files) =>
        files.Count == 4
            ? files
            : throw new ArgumentException(
                $"Expected 4 files (train images, train labels, test images, test labels) but got {files.Count}",
                nameof(files)
            );

    private static string NotFoundMessage(string headline, List<string> searched, List<string> errors) =>
        $"{headline}. Pass a directory to Mnist.Load, set {EnvironmentVariable}, or put the files in the cache.\nLooked in:\n  "
        + string.Join("\n  ", searched)
        + (errors.Count == 0 ? "" : "\nDownloads tried:\n  " + string.Join("\n  ", errors));
}

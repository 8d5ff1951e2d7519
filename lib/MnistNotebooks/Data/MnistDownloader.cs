using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;

namespace MnistNotebooks.Data;

/// <summary>Downloads one MNIST file into the cache: streams to a temp file beside it, verifies the hash, then renames it
/// into place; never leaves a partial file under a final name, and deletes the temp file on failure and cancellation.</summary>
internal static class MnistDownloader
{
    private static readonly Lazy<HttpClient> Shared = new(() => new HttpClient { Timeout = TimeSpan.FromMinutes(5) });

    public static HttpClient SharedClient => Shared.Value;

    /// <summary>Tries each mirror in turn; returns the final path, or null after adding one line per failed attempt to <paramref name="errors"/>.</summary>
    public static async Task<string?> DownloadAsync(
        MnistFile file,
        string cacheDirectory,
        IReadOnlyList<Uri> mirrors,
        HttpClient http,
        TimeSpan readTimeout,
        IProgress<MnistDownloadProgress>? progress,
        List<string> errors,
        CancellationToken cancellationToken
    )
    {
        Directory.CreateDirectory(cacheDirectory);
        foreach (Uri mirror in mirrors)
        {
            Uri url = UrlFor(mirror, file);
            try
            {
                return await DownloadOneAsync(file, url, cacheDirectory, http, readTimeout, progress, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (MnistDownloadException e)
            {
                errors.Add(e.Message);
            }
            catch (Exception e)
                when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested)
                )
            {
                errors.Add($"{url}: {e.GetType().Name}: {e.Message}");
            }
        }
        return null;
    }

    /// <summary><c>mirror/name.gz</c>, whether or not the mirror ends with a slash.</summary>
    public static Uri UrlFor(Uri mirror, MnistFile file)
    {
        Uri baseUri = mirror.AbsoluteUri.EndsWith('/') ? mirror : new Uri(mirror.AbsoluteUri + "/");
        return new Uri(baseUri, file.Name + ".gz");
    }

    /// <summary>Deletes the <c>*.download.tmp</c> files in <paramref name="cacheDirectory"/> that no download holds open:
    /// those a killed process left (a kill runs no <c>finally</c>). A running download keeps its temp file open (and so
    /// locked: an advisory lock on Unix, a sharing mode on Windows) until it is renamed, so it is skipped.</summary>
    public static void RemoveStaleTemps(string cacheDirectory)
    {
        if (!Directory.Exists(cacheDirectory))
        {
            return;
        }
        foreach (string temp in Directory.EnumerateFiles(cacheDirectory, "*" + TempSuffix))
        {
            try
            {
                new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // in use by a download still running, or gone already
            }
            TryDelete(temp);
        }
    }

    private const string TempSuffix = ".download.tmp";

    private static async Task<string> DownloadOneAsync(
        MnistFile file,
        Uri url,
        string cacheDirectory,
        HttpClient http,
        TimeSpan readTimeout,
        IProgress<MnistDownloadProgress>? progress,
        CancellationToken cancellationToken
    )
    {
        string temp = Path.Combine(cacheDirectory, $"{file.Name}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            using HttpResponseMessage response = await GetHeadersAsync(url, http, readTimeout, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new MnistDownloadException(url, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            long? total = response.Content.Headers.ContentLength;
            // Open until renamed: the handle tells RemoveStaleTemps in another load that this file is live.
            var output = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Delete, 1 << 16, useAsync: true);
            await using (output.ConfigureAwait(false))
            {
                long received = await CopyBodyAsync(file, url, response, total, output, readTimeout, progress, cancellationToken)
                    .ConfigureAwait(false);
                if (total is long expected && received != expected)
                {
                    throw new MnistDownloadException(url, $"cut short: expected {Describe(total)}, received {received}");
                }
                if (received == 0)
                {
                    throw new MnistDownloadException(url, "empty response: expected a gzipped IDX file, received 0 bytes");
                }

                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                bool gzip = Verify(file, url, output);
                string final = Path.Combine(cacheDirectory, gzip ? file.Name + ".gz" : file.Name);
                File.Move(temp, final, overwrite: true);
                return final;
            }
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>The response once its headers arrive, within <paramref name="readTimeout"/> (and the client's own timeout).</summary>
    private static async Task<HttpResponseMessage> GetHeadersAsync(
        Uri url,
        HttpClient http,
        TimeSpan readTimeout,
        CancellationToken cancellationToken
    )
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        quiet.CancelAfter(readTimeout);
        try
        {
            return await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, quiet.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (WentQuiet(e, quiet, cancellationToken))
        {
            throw Stalled(url, readTimeout, "while waiting for the response headers");
        }
    }

    /// <summary>Streams the body into <paramref name="output"/>; returns the bytes received. <c>HttpClient.Timeout</c> no
    /// longer applies once the headers are in, so each read gets <paramref name="readTimeout"/> of its own.</summary>
    private static async Task<long> CopyBodyAsync(
        MnistFile file,
        Uri url,
        HttpResponseMessage response,
        long? total,
        FileStream output,
        TimeSpan readTimeout,
        IProgress<MnistDownloadProgress>? progress,
        CancellationToken cancellationToken
    )
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Stream input = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (input.ConfigureAwait(false))
        {
            var buffer = new byte[1 << 16];
            long received = 0;
            long lastReport = 0;
            while (true)
            {
                int n;
                try
                {
                    quiet.CancelAfter(readTimeout);
                    n = await input.ReadAsync(buffer, quiet.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (WentQuiet(e, quiet, cancellationToken))
                {
                    string after = total is long t ? $"after {received} of {t} bytes (Content-Length)" : $"after {received} bytes";
                    throw Stalled(url, readTimeout, after);
                }
                catch (IOException e)
                {
                    throw new MnistDownloadException(url, $"cut short: expected {Describe(total)}, received {received} ({e.Message})", e);
                }
                if (n == 0)
                {
                    progress?.Report(new MnistDownloadProgress(file.Name, url, received, total));
                    return received;
                }
                await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                received += n;
                if (progress is not null && received - lastReport >= 1 << 20)
                {
                    lastReport = received;
                    progress.Report(new MnistDownloadProgress(file.Name, url, received, total));
                }
            }
        }
    }

    /// <summary>True when <paramref name="e"/> comes from the inactivity timer, not from the caller's cancellation.</summary>
    private static bool WentQuiet(Exception e, CancellationTokenSource quiet, CancellationToken cancellationToken) =>
        (e is OperationCanceledException or IOException) && quiet.IsCancellationRequested && !cancellationToken.IsCancellationRequested;

    private static MnistDownloadException Stalled(Uri url, TimeSpan waited, string when) =>
        new(
            url,
            string.Create(
                CultureInfo.InvariantCulture,
                $"stalled: no data for {waited.TotalSeconds:0.###} s (MnistOptions.ReadTimeout) {when}"
            )
        );

    /// <summary>Accepts a known .gz MD5, else checks the SHA-256 of the decompressed contents; returns whether the file is gzipped.</summary>
    /// <remarks>Reads through the download's own handle: another open would break the lock that marks the file as live.</remarks>
    private static bool Verify(MnistFile file, Uri url, FileStream stream)
    {
        stream.Position = 0;
        Span<byte> magic = stackalloc byte[2];
        bool gzip = Idx.IsGzip(magic[..stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false)]);
        stream.Position = 0;
#pragma warning disable CA5351 // MD5 only compares against the published checksums of the original files, never for security.
        string gzMd5 = Hex(MD5.HashData(stream));
#pragma warning restore CA5351
        if (gzip && file.GzMd5.Contains(gzMd5, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        string rawSha;
        try
        {
            stream.Position = 0;
            if (gzip)
            {
                using var content = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
                rawSha = Hex(SHA256.HashData(content));
            }
            else
            {
                rawSha = Hex(SHA256.HashData(stream));
            }
        }
        catch (InvalidDataException e)
        {
            throw new MnistDownloadException(url, $"corrupt gzip data ({e.Message}); MD5 {gzMd5}, known .gz MD5s: {KnownMd5s(file)}", e);
        }
        if (!string.Equals(rawSha, file.RawSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new MnistDownloadException(
                url,
                $"hash mismatch: expected raw SHA-256 {file.RawSha256}, got {rawSha} ({(gzip ? $"gzipped, MD5 {gzMd5}; known .gz MD5s: {KnownMd5s(file)}" : "not gzipped: no 1f 8b magic")})"
            );
        }
        return gzip;
    }

    /// <summary>Lower-case hex, as hashes are published.</summary>
    internal static string Hex(byte[] hash) =>
        string.Create(
            hash.Length * 2,
            hash,
            static (chars, bytes) =>
            {
                const string digits = "0123456789abcdef";
                for (int i = 0; i < bytes.Length; i++)
                {
                    chars[2 * i] = digits[bytes[i] >> 4];
                    chars[(2 * i) + 1] = digits[bytes[i] & 0xf];
                }
            }
        );

    private static string KnownMd5s(MnistFile file) => file.GzMd5.Count == 0 ? "none" : string.Join(", ", file.GzMd5);

    private static string Describe(long? total) => total is long t ? $"{t} bytes (Content-Length)" : "the whole file";

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

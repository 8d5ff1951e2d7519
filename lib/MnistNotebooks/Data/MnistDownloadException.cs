namespace MnistNotebooks.Data;

/// <summary>Thrown when one download is unusable (HTTP error, cut short, wrong hash); names the URL, what was expected and what arrived.</summary>
public sealed class MnistDownloadException : IOException
{
    public MnistDownloadException(Uri url, string problem, Exception? inner = null)
        : base($"{url}: {problem}", inner)
    {
        Url = url;
        Problem = problem;
    }

    public Uri Url { get; }

    /// <summary>What went wrong, e.g. <c>cut short: expected 9912422 bytes (Content-Length), received 4096</c>.</summary>
    public string Problem { get; }
}

namespace MnistNotebooks.Data;

/// <summary>Thrown when the MNIST files are not in the directory given or in a set <c>MNIST_DIR</c>, or are in none of the
/// places searched and could not be downloaded; lists every place and mirror tried.</summary>
public sealed class MnistNotFoundException : FileNotFoundException
{
    public MnistNotFoundException(string message, IReadOnlyList<string> searched, IReadOnlyList<string> downloadErrors)
        : base(message)
    {
        Searched = searched;
        DownloadErrors = downloadErrors;
    }

    /// <summary>Each directory looked at, with why it did not qualify.</summary>
    public IReadOnlyList<string> Searched { get; }

    /// <summary>One line per failed download attempt (URL and reason); empty when downloading was disabled.</summary>
    public IReadOnlyList<string> DownloadErrors { get; }
}

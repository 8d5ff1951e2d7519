namespace MnistNotebooks.Data;

/// <summary>Thrown when an IDX file is not what MNIST needs; the message names the file and what was expected and found.</summary>
public sealed class IdxFormatException : IOException
{
    public IdxFormatException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file that failed, as it was opened.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the file name, e.g. <c>truncated: expected 3936 bytes, found 3000</c>.</summary>
    public string Problem { get; }
}

namespace MnistNotebooks.Data;

/// <summary>One progress report of a download: bytes received so far of <see cref="TotalBytes"/> (null when the server did not say).</summary>
public sealed record MnistDownloadProgress(string FileName, Uri Url, long BytesReceived, long? TotalBytes);

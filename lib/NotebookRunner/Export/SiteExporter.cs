using NotebookRunner.Documents;

namespace NotebookRunner.Export;

/// <summary>The exported site (placeholder: one page per notebook).</summary>
public static class SiteExporter
{
    public static async Task<string> ExportAsync(IReadOnlyList<NotebookResult> results, string folder, CancellationToken cancellationToken)
    {
        string? first = null;
        foreach (var result in results)
            first ??= await HtmlExporter.ExportAsync(NotebookReader.Read(result.Path), result, folder, cancellationToken);
        return first ?? folder;
    }
}

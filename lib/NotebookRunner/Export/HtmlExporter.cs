namespace NotebookRunner.Export;

public static class HtmlExporter
{
    public static Task<string> ExportAsync(Documents.Notebook notebook, NotebookResult result, string folder, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}

namespace NotebookRunner.Documents;

public static class NotebookReader
{
    public static Notebook Read(string path) => Read(path, File.ReadAllText(path));

    public static Notebook Read(string path, string text) =>
        System.IO.Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".ipynb" => IpynbReader.Read(path, text),
            ".dib" => DibReader.Read(path, text),
            var other => throw new NotSupportedException($"Expected a .ipynb or .dib notebook but got '{other}' ({path})."),
        };

    public static bool IsNotebook(string path) =>
        path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".dib", StringComparison.OrdinalIgnoreCase);
}

namespace NotebookRunner.Documents;

public static class NotebookReader
{
    public static Notebook Read(string path) =>
        System.IO.Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".ipynb" => IpynbReader.Read(path, File.ReadAllText(path)),
            ".dib" => DibReader.Read(path, File.ReadAllText(path)),
            var other => throw new NotSupportedException($"Expected a .ipynb or .dib notebook but got '{other}' ({path})."),
        };

    public static bool IsNotebook(string path) =>
        path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".dib", StringComparison.OrdinalIgnoreCase);
}

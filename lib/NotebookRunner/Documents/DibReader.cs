using System.Text.Json.Nodes;

namespace NotebookRunner.Documents;

/// <summary>
/// Reads the .dib format: cells start with a kernel line (<c>#!csharp</c>, <c>#!markdown</c>, ...);
/// an optional first <c>#!meta</c> cell holds JSON metadata.
/// </summary>
public static class DibReader
{
    public static Notebook Read(string path, string text)
    {
        var metadata = new JsonObject();
        var cells = new List<Cell>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        string? kernel = null;
        var body = new List<string>();

        void Flush()
        {
            if (kernel is null)
                return;
            // The writer puts a blank line between cells: trim blank lines at both ends.
            var start = 0;
            var end = body.Count;
            while (start < end && body[start].Trim().Length == 0)
                start++;
            while (end > start && body[end - 1].Trim().Length == 0)
                end--;
            var source = string.Join("\n", body.Skip(start).Take(end - start));
            if (kernel == "meta")
            {
                if (source.Length > 0 && JsonNode.Parse(source) is JsonObject meta)
                    metadata = meta;
            }
            else if (source.Length > 0 || kernel != "markdown")
            {
                cells.Add(
                    new Cell
                    {
                        Index = cells.Count,
                        KernelName = kernel,
                        Source = source,
                    }
                );
            }
            body.Clear();
        }

        var defaultKernel = "csharp";
        foreach (var line in lines)
        {
            if (IsKernelLine(line, out var name))
            {
                Flush();
                kernel = name;
                continue;
            }
            if (kernel is null)
            {
                if (line.Trim().Length == 0)
                    continue;
                kernel = defaultKernel;
            }
            body.Add(line);
        }
        Flush();

        var declared = (string?)metadata["kernelInfo"]?["defaultKernelName"];
        if (declared is not null)
            defaultKernel = IpynbReader.Normalize(declared);
        return new Notebook
        {
            Path = path,
            Format = NotebookFormat.Dib,
            Cells = cells,
            Metadata = metadata,
        };
    }

    /// <summary>A line that is exactly <c>#!name</c> (a kernel selector), as opposed to a magic with arguments like <c>#!time</c> inside a cell.</summary>
    static bool IsKernelLine(string line, out string name)
    {
        name = "";
        var t = line.TrimEnd();
        if (!t.StartsWith("#!", StringComparison.Ordinal) || t.Contains(' '))
            return false;
        var raw = t[2..];
        if (raw == "meta")
        {
            name = "meta";
            return true;
        }
        var normalized = IpynbReader.Normalize(raw);
        if (!KnownKernels.Contains(normalized))
            return false;
        name = normalized;
        return true;
    }

    static readonly HashSet<string> KnownKernels =
    [
        "csharp",
        "fsharp",
        "pwsh",
        "markdown",
        "javascript",
        "html",
        "sql",
        "kql",
        "mermaid",
        "http",
        "value",
        "python",
        "r",
        "vscode",
    ];
}

using System.Text.Json.Nodes;

namespace NotebookRunner.Documents;

/// <summary>Reads .ipynb as VS Code Polyglot Notebooks writes it (nbformat 4).</summary>
public static class IpynbReader
{
    public static Notebook Read(string path, string text)
    {
        var json = JsonNode.Parse(text) as JsonObject ?? throw new FormatException($"{path}: expected a JSON object at the top level.");
        var metadata = json["metadata"] as JsonObject ?? new JsonObject();
        var defaultKernel = DefaultKernelName(metadata);
        var cells = new List<Cell>();
        var index = 0;
        foreach (var node in json["cells"] as JsonArray ?? [])
        {
            if (node is not JsonObject cell)
                continue;
            try
            {
                cells.Add(ReadCell(cell, index, defaultKernel));
            }
            catch (InvalidOperationException e) // a cast of JsonValue: a number or object where nbformat has a string
            {
                throw new FormatException($"{path}: cell {index + 1}: {e.Message}", e);
            }
            index++;
        }
        return new Notebook
        {
            Path = path,
            Format = NotebookFormat.Ipynb,
            Cells = cells,
            Json = json,
            Metadata = metadata,
        };
    }

    static Cell ReadCell(JsonObject cell, int index, string defaultKernel)
    {
        var type = (string?)cell["cell_type"] ?? "code";
        var lines = SourceLines(cell["source"]);
        var cellMetadata = cell["metadata"] as JsonObject;
        var kernel = type switch
        {
            "markdown" => "markdown",
            "raw" => "raw",
            _ => CellKernelName(cellMetadata) ?? defaultKernel,
        };
        return new Cell
        {
            Index = index,
            KernelName = kernel,
            IsRaw = type == "raw",
            Source = string.Concat(lines),
            SourceLines = lines,
            Tags = (cellMetadata?["tags"] as JsonArray)?.Select(t => (string?)t ?? "").ToArray() ?? [],
            Json = cell,
            StoredOutputs = (cell["outputs"] as JsonArray)?.OfType<JsonObject>().ToArray() ?? [],
        };
    }

    public static IReadOnlyList<string> SourceLines(JsonNode? source) =>
        source switch
        {
            JsonArray array => array.Select(l => (string?)l ?? "").ToArray(),
            JsonValue value => [(string?)value ?? ""],
            _ => [],
        };

    /// <summary>The notebook's default kernel: polyglot_notebook.kernelInfo.defaultKernelName, else from the kernelspec, else csharp.</summary>
    public static string DefaultKernelName(JsonObject metadata)
    {
        var name = Text(metadata, "polyglot_notebook", "kernelInfo", "defaultKernelName");
        if (name is not null)
            return Normalize(name);
        var spec = Text(metadata, "kernelspec", "name");
        return spec switch
        {
            ".net-fsharp" => "fsharp",
            ".net-pwsh" or ".net-powershell" => "pwsh",
            _ => "csharp",
        };
    }

    /// <summary>The language of a notebook made for another Jupyter kernel (kernelspec "python3": "python"); null for a .NET
    /// notebook (kernelspec ".net-*", Polyglot metadata, or none at all).</summary>
    public static string? ForeignLanguage(JsonObject metadata)
    {
        var spec = Text(metadata, "kernelspec", "name");
        if (spec is null || spec.StartsWith(".net-", StringComparison.OrdinalIgnoreCase) || metadata["polyglot_notebook"] is not null)
            return null;
        return Text(metadata, "kernelspec", "language") ?? Text(metadata, "language_info", "name") ?? spec;
    }

    /// <summary>The string at <paramref name="keys"/> below <paramref name="node"/>; null when a key is missing or a node on
    /// the way is not an object (metadata is written by hand too, and a lookup must never throw).</summary>
    public static string? Text(JsonNode? node, params string[] keys) =>
        At(node, keys) is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    /// <summary>The node at <paramref name="keys"/> below <paramref name="node"/>, or null as <see cref="Text"/>.</summary>
    public static JsonNode? At(JsonNode? node, params string[] keys)
    {
        foreach (var key in keys)
            node = (node as JsonObject)?[key];
        return node;
    }

    public static string? CellKernelName(JsonObject? metadata)
    {
        var name = Text(metadata, "polyglot_notebook", "kernelName") ?? Text(metadata, "dotnet_interactive", "language");
        return name is null ? null : Normalize(name);
    }

    /// <summary>Kernel names and their aliases (C#, c#, dotnet-interactive.csharp) to the kernel's own name.</summary>
    public static string Normalize(string name)
    {
        var n = name.Trim().ToLowerInvariant();
        if (n.StartsWith("dotnet-interactive.", StringComparison.Ordinal))
            n = n["dotnet-interactive.".Length..];
        return n switch
        {
            "c#" or "cs" or "csharp" => "csharp",
            "f#" or "fs" or "fsharp" => "fsharp",
            "powershell" or "pwsh" => "pwsh",
            "md" or "markdown" => "markdown",
            "js" or "javascript" => "javascript",
            _ => n,
        };
    }
}

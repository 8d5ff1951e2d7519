using System.Text.Json.Nodes;

namespace NotebookRunner.Documents;

public enum NotebookFormat
{
    Ipynb,
    Dib,
}

/// <summary>A notebook as read from disk: its cells in order, plus the raw JSON (for .ipynb) so writing back keeps everything we do not own.</summary>
public sealed class Notebook
{
    public required string Path { get; init; }
    public required NotebookFormat Format { get; init; }
    public required IReadOnlyList<Cell> Cells { get; init; }

    /// <summary>The whole .ipynb document; null for .dib.</summary>
    public JsonObject? Json { get; init; }

    /// <summary>Notebook-level metadata (.ipynb "metadata", .dib "#!meta").</summary>
    public JsonObject Metadata { get; init; } = new();

    public string Directory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
}

/// <summary>One cell. <see cref="KernelName"/> is "csharp" for C# code, "markdown" for prose, otherwise the other kernel's name.</summary>
public sealed class Cell
{
    public required int Index { get; init; }
    public required string KernelName { get; init; }
    public required string Source { get; init; }
    public bool IsMarkdown => KernelName == "markdown";
    public bool IsRaw { get; init; }

    /// <summary>The source as the .ipynb line array held it (null for .dib); lint looks at it.</summary>
    public IReadOnlyList<string>? SourceLines { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The cell's JSON in the .ipynb (null for .dib).</summary>
    public JsonObject? Json { get; init; }

    /// <summary>The outputs stored in the file (.ipynb only).</summary>
    public IReadOnlyList<JsonObject> StoredOutputs { get; init; } = [];

    /// <summary>1-based number for messages: "cell 3".</summary>
    public int Number => Index + 1;
}

using System.Text.Json.Nodes;
using NotebookRunner.Execution;

namespace NotebookRunner.Documents;

/// <summary>Writes .ipynb the way VS Code Polyglot Notebooks does, and turns cell outputs into nbformat outputs.</summary>
public static class IpynbWriter
{
    /// <summary>The notebook's JSON as text, unchanged apart from what the caller changed in <see cref="Notebook.Json"/>.</summary>
    public static string Serialize(Notebook notebook, int indent) =>
        VsCodeJson.Serialize(notebook.Json ?? throw new InvalidOperationException("Only .ipynb notebooks are written back."), indent);

    /// <summary>Writes atomically: a temp file beside the notebook, then a move over it.</summary>
    public static void WriteAtomically(string path, string text)
    {
        var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temp, text, new System.Text.UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Puts a cell's new outputs and execution count in, and fills in the Polyglot kernel metadata if missing.</summary>
    public static void SetOutputs(Cell cell, IReadOnlyList<CellOutput> outputs, int? executionCount)
    {
        var json = cell.Json ?? throw new InvalidOperationException("Only .ipynb cells hold outputs.");
        json["outputs"] = new JsonArray(outputs.Select(o => (JsonNode)ToJson(o)).ToArray());
        json["execution_count"] = executionCount;
        var metadata = json["metadata"] as JsonObject ?? new JsonObject();
        json["metadata"] = metadata;
        if (metadata["polyglot_notebook"] is not JsonObject polyglot)
            metadata["polyglot_notebook"] = polyglot = new JsonObject();
        polyglot["kernelName"] ??= "csharp";
    }

    /// <summary>Notebook metadata as VS Code writes it for a C# notebook, added where missing.</summary>
    public static void EnsureNotebookMetadata(Notebook notebook)
    {
        var json = notebook.Json!;
        var metadata = json["metadata"] as JsonObject ?? new JsonObject();
        json["metadata"] = metadata;
        metadata["kernelspec"] ??= new JsonObject
        {
            ["display_name"] = ".NET (C#)",
            ["language"] = "C#",
            ["name"] = ".net-csharp",
        };
        metadata["language_info"] ??= new JsonObject { ["name"] = "polyglot-notebook" };
        metadata["polyglot_notebook"] ??= new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(
                    new JsonObject
                    {
                        ["aliases"] = new JsonArray(),
                        ["languageName"] = "csharp",
                        ["name"] = "csharp",
                    }
                ),
            },
        };
    }

    public static JsonObject ToJson(CellOutput output) =>
        output switch
        {
            DisplayOutput d => new JsonObject
            {
                ["data"] = new JsonObject(d.Data.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)MimeValue(p.Key, p.Value)))),
                ["metadata"] = new JsonObject(),
                ["output_type"] = "display_data",
            },
            StreamOutput s => new JsonObject
            {
                ["name"] = s.Name,
                ["output_type"] = "stream",
                ["text"] = VsCodeJson.Lines(s.Text),
            },
            ErrorOutput e => new JsonObject
            {
                ["ename"] = e.EName,
                ["evalue"] = e.EValue,
                ["output_type"] = "error",
                ["traceback"] = new JsonArray(e.Traceback.Select(l => (JsonNode?)l).ToArray()),
            },
            _ => throw new NotSupportedException(output.GetType().Name),
        };

    /// <summary>Text mime types are stored as line arrays; JSON mime types as JSON.</summary>
    static JsonNode MimeValue(string mimeType, string value)
    {
        if (mimeType.EndsWith("json", StringComparison.Ordinal))
        {
            try
            {
                return JsonNode.Parse(value) ?? VsCodeJson.Lines(value);
            }
            catch (System.Text.Json.JsonException) { }
        }
        return VsCodeJson.Lines(value);
    }
}

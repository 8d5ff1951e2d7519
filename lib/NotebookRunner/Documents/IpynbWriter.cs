using System.Text.Json.Nodes;
using NotebookRunner.Execution;

namespace NotebookRunner.Documents;

/// <summary>Writes .ipynb the way VS Code Polyglot Notebooks does, and turns cell outputs into nbformat outputs.</summary>
public static class IpynbWriter
{
    /// <summary>The notebook's JSON as text, unchanged apart from what the caller changed in <see cref="Notebook.Json"/>.</summary>
    public static string Serialize(Notebook notebook, int indent) =>
        VsCodeJson.Serialize(notebook.Json ?? throw new InvalidOperationException("Only .ipynb notebooks are written back."), indent);

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

    /// <summary>As VS Code's ipynb serializer stores a mime type: text and SVG as line arrays, images as one base64 string,
    /// JSON as JSON, anything else as one string.</summary>
    static JsonNode MimeValue(string mimeType, string value)
    {
        if (mimeType.StartsWith("text/", StringComparison.Ordinal) || mimeType == "image/svg+xml")
            return VsCodeJson.Lines(value);
        if (mimeType.StartsWith("image/", StringComparison.Ordinal))
            return JsonValue.Create(value.Trim());
        if (mimeType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return JsonNode.Parse(value) ?? JsonValue.Create(value);
            }
            catch (System.Text.Json.JsonException) { }
        }
        return JsonValue.Create(value);
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents;

namespace NotebookRunner.Documents;

/// <summary>
/// Reads the .dib format with the kernel's own parser (<c>CodeSubmission.Parse</c> from Microsoft.DotNet.Interactive.Documents):
/// cells start with a kernel line (<c>#!csharp</c>, <c>#!markdown</c>, ...), a first <c>#!meta</c> cell holds JSON metadata.
/// </summary>
public static class DibReader
{
    /// <summary>The kernels VS Code's kernel knows, with their aliases: a <c>#!name</c> line for one of them starts a cell.</summary>
    static readonly (string Name, string[] Aliases)[] Kernels =
    [
        ("csharp", ["c#", "C#", "cs"]),
        ("fsharp", ["f#", "F#", "fs"]),
        ("pwsh", ["powershell"]),
        ("javascript", ["js"]),
        ("html", []),
        ("sql", []),
        ("kql", []),
        ("mermaid", []),
        ("http", []),
        ("value", []),
    ];

    public static Notebook Read(string path, string text)
    {
        var kernels = new KernelInfoCollection();
        foreach (var (name, aliases) in Kernels)
            kernels.Add(new KernelInfo(name, name, aliases));
        var document = CodeSubmission.Parse(text, kernels);
        var cells = document
            .Elements.Where(e => e.Contents.Length > 0 || e.KernelName != "markdown")
            .Select(
                (e, i) =>
                    new Cell
                    {
                        Index = i,
                        KernelName = IpynbReader.Normalize(e.KernelName ?? "csharp"),
                        Source = e.Contents,
                    }
            )
            .ToList();
        var metadata = new JsonObject();
        foreach (var (key, value) in document.Metadata)
            metadata[key] = value is KernelInfoCollection infos ? ToJson(infos) : JsonSerializer.SerializeToNode(value);
        return new Notebook
        {
            Path = path,
            Format = NotebookFormat.Dib,
            Cells = cells,
            Metadata = metadata,
        };
    }

    static JsonObject ToJson(KernelInfoCollection infos) =>
        new()
        {
            ["defaultKernelName"] = infos.DefaultKernelName,
            ["items"] = new JsonArray(
                infos
                    .Select(i =>
                        (JsonNode)
                            new JsonObject
                            {
                                ["aliases"] = new JsonArray(i.Aliases.Select(a => (JsonNode?)a).ToArray()),
                                ["languageName"] = i.LanguageName,
                                ["name"] = i.Name,
                            }
                    )
                    .ToArray()
            ),
        };
}

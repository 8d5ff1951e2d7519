using System.Text.RegularExpressions;
using NotebookRunner.Documents;

namespace NotebookRunner.Checking;

public sealed record LintIssue(string Path, int? CellNumber, bool IsError, string Message)
{
    /// <summary>The notebook cannot run at all here (it is not a C# notebook).</summary>
    public bool StopsTheRun { get; init; }

    public override string ToString() => CellNumber is { } n ? $"cell {n}: {Message}" : Message;
}

/// <summary>Problems found without running: source lines that lost their "\n", absolute #r paths, missing kernel metadata.</summary>
public static partial class Linter
{
    public static IReadOnlyList<LintIssue> Lint(Notebook notebook)
    {
        var issues = new List<LintIssue>();
        if (notebook.Format == NotebookFormat.Ipynb)
        {
            var metadata = notebook.Metadata;
            var spec = IpynbReader.Text(metadata, "kernelspec", "name");
            if (IpynbReader.ForeignLanguage(metadata) is { } foreign)
                issues.Add(
                    new(
                        notebook.Path,
                        null,
                        true,
                        $"not a C# notebook: its kernelspec is '{spec ?? "?"}' ({foreign}); the runner runs .NET (C#) notebooks"
                    )
                    {
                        StopsTheRun = true,
                    }
                );
            if (metadata["kernelspec"] is null)
                issues.Add(
                    new(notebook.Path, null, false, "notebook metadata has no kernelspec (VS Code writes {\"name\": \".net-csharp\"})")
                );
            if (IpynbReader.At(metadata, "polyglot_notebook", "kernelInfo") is null)
                issues.Add(new(notebook.Path, null, false, "notebook metadata has no polyglot_notebook.kernelInfo (defaultKernelName)"));
            if (Tolerance.Problem(metadata) is { } tolerance)
                issues.Add(new(notebook.Path, null, true, tolerance));
        }
        foreach (var cell in notebook.Cells)
        {
            if (cell.SourceLines is { } lines)
            {
                for (var i = 0; i < lines.Count - 1; i++)
                {
                    if (lines[i].EndsWith('\n'))
                        continue;
                    var what = lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal)
                        ? " (a // comment there swallows the lines after it)"
                        : "";
                    issues.Add(
                        new(
                            notebook.Path,
                            cell.Number,
                            true,
                            $"source line {i + 1} does not end with \"\\n\" in the .ipynb line array, so it runs together with line {i + 2}{what}"
                        )
                    );
                    break;
                }
            }
            if (cell.IsMarkdown || cell.IsRaw)
                continue;
            if (
                cell.Json is not null
                && Documents.IpynbReader.CellKernelName(cell.Json["metadata"] as System.Text.Json.Nodes.JsonObject) is null
            )
                issues.Add(new(notebook.Path, cell.Number, false, "code cell has no kernel metadata (polyglot_notebook.kernelName)"));
            foreach (Match m in Reference().Matches(cell.Source))
            {
                var path = m.Groups["path"].Value;
                if (Path.IsPathRooted(path) || Regex.IsMatch(path, @"^[A-Za-z]:[\\/]"))
                    issues.Add(
                        new(
                            notebook.Path,
                            cell.Number,
                            true,
                            $"#r \"{path}\" is an absolute path: use a path relative to the notebook's folder"
                        )
                    );
            }
        }
        return issues;
    }

    [GeneratedRegex("""^\s*#r\s+"(?!nuget:)(?<path>[^"]+)"\s*$""", RegexOptions.Multiline)]
    private static partial Regex Reference();
}

using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using NotebookRunner.Documents;
using NotebookRunner.Execution;

namespace NotebookRunner.Export;

/// <summary>
/// An executed notebook as one HTML page: markdown rendered with Markdig, code with its outputs, charts working offline
/// (the CDN paths in chart scripts point at local copies of plotly.js and require.js in a vendor folder beside the page).
/// </summary>
public static partial class HtmlExporter
{
    static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    public static async Task<string> ExportAsync(
        Notebook notebook,
        NotebookResult result,
        string folder,
        CancellationToken cancellationToken = default
    )
    {
        Directory.CreateDirectory(folder);
        await OfflineAssets.CopyToAsync(Path.Combine(folder, "vendor"), cancellationToken);
        var file = Path.Combine(folder, Path.GetFileNameWithoutExtension(notebook.Path) + ".html");
        await File.WriteAllTextAsync(file, Render(notebook, result), cancellationToken);
        return file;
    }

    public static string Render(Notebook notebook, NotebookResult result)
    {
        var html = new StringBuilder();
        var title = WebUtility.HtmlEncode(Path.GetFileNameWithoutExtension(notebook.Path));
        html.Append(
            $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{{title}}</title>
            <script src="vendor/{{OfflineAssets.PlotlyFile}}"></script>
            <script src="vendor/{{OfflineAssets.RequireFile}}"></script>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
            pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; }
            .output pre.stream { background: #fff; border-left: 3px solid #ccc; }
            .output pre.error { background: #fff0f0; border-left: 3px solid #c00; }
            .cell.failed { outline: 2px solid #c00; }
            </style>
            </head>
            <body>

            """
        );
        foreach (var cell in notebook.Cells)
        {
            var cellResult = result.Cells.FirstOrDefault(c => c.Number == cell.Number);
            if (cell.IsMarkdown)
            {
                html.Append("<section class=\"cell markdown\">")
                    .Append(Markdig.Markdown.ToHtml(cell.Source, Markdown))
                    .Append("</section>\n");
                continue;
            }
            var failed = cellResult?.Status == CellStatus.Failed ? " failed" : "";
            html.Append($"<section class=\"cell code{failed}\">\n<pre><code class=\"language-{WebUtility.HtmlEncode(cell.KernelName)}\">")
                .Append(WebUtility.HtmlEncode(cell.Source))
                .Append("</code></pre>\n");
            foreach (var output in cellResult?.Outputs ?? [])
                html.Append("<div class=\"output\">").Append(RenderOutput(output)).Append("</div>\n");
            html.Append("</section>\n");
        }
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    static string RenderOutput(CellOutput output) =>
        output switch
        {
            StreamOutput s => $"<pre class=\"stream {s.Name}\">{WebUtility.HtmlEncode(s.Text)}</pre>",
            ErrorOutput e => $"<pre class=\"error\">{WebUtility.HtmlEncode($"{e.EName}: {e.EValue}")}</pre>",
            DisplayOutput d => RenderData(d.Data),
            _ => "",
        };

    static string RenderData(IReadOnlyDictionary<string, string> data)
    {
        if (data.TryGetValue("text/html", out var html))
            return Offline(html);
        if (data.TryGetValue("image/svg+xml", out var svg))
            return svg;
        if (data.TryGetValue("image/png", out var png))
            return $"<img src=\"data:image/png;base64,{png.Trim()}\">";
        if (data.TryGetValue("text/markdown", out var markdown))
            return Markdig.Markdown.ToHtml(markdown, Markdown);
        if (data.TryGetValue("text/plain", out var text))
            return $"<pre>{WebUtility.HtmlEncode(text)}</pre>";
        return data.Count == 0 ? "" : $"<pre>{WebUtility.HtmlEncode(data.First().Value)}</pre>";
    }

    /// <summary>Points CDN references in chart HTML at the local copies.</summary>
    public static string Offline(string html)
    {
        html = PlotlyRequirePath().Replace(html, "vendor/" + Path.GetFileNameWithoutExtension(OfflineAssets.PlotlyModuleFile));
        html = PlotlyScript().Replace(html, $"vendor/{OfflineAssets.PlotlyFile}");
        html = RequireScript().Replace(html, $"vendor/{OfflineAssets.RequireFile}");
        return html;
    }

    [GeneratedRegex(@"https://cdn\.plot\.ly/plotly-[A-Za-z0-9.\-]+?\.min(?!\.js)")]
    private static partial Regex PlotlyRequirePath();

    [GeneratedRegex(@"https://cdn\.plot\.ly/plotly-[A-Za-z0-9.\-]+?\.min\.js")]
    private static partial Regex PlotlyScript();

    [GeneratedRegex(@"https://cdnjs\.cloudflare\.com/ajax/libs/require\.js/[0-9.]+/require(\.min)?\.js")]
    private static partial Regex RequireScript();
}

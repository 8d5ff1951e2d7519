using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using NotebookRunner.Documents;
using NotebookRunner.Execution;

namespace NotebookRunner.Export;

/// <summary>
/// One executed notebook as a page of the site: markdown rendered with Markdig, C# highlighted by highlight.js, outputs
/// as the kernel produced them, charts drawn offline (CDN paths point at the vendor folder beside the page).
/// </summary>
public static partial class HtmlExporter
{
    internal static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>A link to a neighbouring page: its file name and title.</summary>
    public sealed record Link(string File, string Title);

    public static string Render(Notebook notebook, NotebookResult result, Link? previous, Link? next)
    {
        var title = WebUtility.HtmlEncode(Title(notebook));
        var html = new StringBuilder(Head(title));
        var nav = Nav(previous, next);
        html.Append(nav).Append("<main>\n");
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
            html.Append($"<section class=\"cell code{failed}\">\n<pre><code class=\"language-{Language(cell.KernelName)}\">")
                .Append(WebUtility.HtmlEncode(cell.Source))
                .Append("</code></pre>\n");
            foreach (var output in cellResult?.Outputs ?? [])
                html.Append("<div class=\"output\">").Append(RenderOutput(output)).Append("</div>\n");
            html.Append("</section>\n");
        }
        html.Append("</main>\n").Append(nav).Append("<script>hljs.highlightAll();</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The notebook's first heading, else its file name.</summary>
    public static string Title(Notebook notebook) =>
        notebook
            .Cells.Where(c => c.IsMarkdown)
            .SelectMany(c => c.Source.Replace("\r\n", "\n").Split('\n'))
            .Select(l => Heading().Match(l))
            .FirstOrDefault(m => m.Success)
            ?.Groups[1]
            .Value.Trim()
        ?? Path.GetFileNameWithoutExtension(notebook.Path);

    internal static string Head(string title) =>
        $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{title}}</title>
            <link rel="stylesheet" href="vendor/{{OfflineAssets.HighlightStyleFile}}">
            <script src="vendor/{{OfflineAssets.PlotlyFile}}"></script>
            <script src="vendor/{{OfflineAssets.RequireFile}}"></script>
            <script src="vendor/{{OfflineAssets.HighlightFile}}"></script>
            <script src="vendor/{{OfflineAssets.HighlightCsharpFile}}"></script>
            <style>
            body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 64rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }
            nav { display: flex; justify-content: space-between; gap: 1rem; margin: 1rem 0; padding: .5rem 0; border-bottom: 1px solid #d0d7de; }
            nav a { text-decoration: none; }
            pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; border-radius: 6px; }
            pre code.hljs { padding: 0; background: transparent; }
            table { border-collapse: collapse; margin: .5rem 0; font-size: .92rem; }
            th, td { border: 1px solid #d0d7de; padding: .25rem .6rem; text-align: left; vertical-align: top; }
            thead tr, tr:first-child th { background: #f6f8fa; }
            tbody tr:nth-child(even) { background: #fafbfc; }
            .output { margin: .3rem 0 1rem; overflow-x: auto; }
            .output pre.stream { background: #fff; border-left: 3px solid #d0d7de; }
            .output pre.error { background: #fff0f0; border-left: 3px solid #cf222e; }
            .cell.failed { outline: 2px solid #cf222e; }
            </style>
            </head>
            <body>

            """;

    static string Nav(Link? previous, Link? next) =>
        "<nav>"
        + (previous is null ? "<span></span>" : $"<a rel=\"prev\" href=\"{previous.File}\">← {WebUtility.HtmlEncode(previous.Title)}</a>")
        + "<a href=\"index.html\">Contents</a>"
        + (next is null ? "<span></span>" : $"<a rel=\"next\" href=\"{next.File}\">{WebUtility.HtmlEncode(next.Title)} →</a>")
        + "</nav>\n";

    static string Language(string kernel) => kernel == "csharp" ? "csharp" : WebUtility.HtmlEncode(kernel);

    static string RenderOutput(CellOutput output) =>
        output switch
        {
            StreamOutput s => $"<pre class=\"stream {s.Name}\">{WebUtility.HtmlEncode(s.Text)}</pre>",
            ErrorOutput e => $"<pre class=\"error\">{WebUtility.HtmlEncode(e.EValue)}</pre>",
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

    [GeneratedRegex(@"^#{1,6}\s+(.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"https://cdn\.plot\.ly/plotly-[A-Za-z0-9.\-]+?\.min(?!\.js)")]
    private static partial Regex PlotlyRequirePath();

    [GeneratedRegex(@"https://cdn\.plot\.ly/plotly-[A-Za-z0-9.\-]+?\.min\.js")]
    private static partial Regex PlotlyScript();

    [GeneratedRegex(@"https://cdnjs\.cloudflare\.com/ajax/libs/require\.js/[0-9.]+/require(\.min)?\.js")]
    private static partial Regex RequireScript();
}

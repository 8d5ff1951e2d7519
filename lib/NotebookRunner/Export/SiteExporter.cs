using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using NotebookRunner.Documents;
using NotebookRunner.Execution;

namespace NotebookRunner.Export;

/// <summary>
/// The exported site: <c>index.html</c> with a table of the notebooks (title, the failure it is about, what it proves,
/// minutes to run), one page per notebook with previous/next links, and <c>vendor/</c> with the scripts, so every page
/// works offline.
/// </summary>
public static partial class SiteExporter
{
    /// <summary>Writes the site into <paramref name="folder"/>; returns the index's path.</summary>
    public static async Task<string> ExportAsync(IReadOnlyList<NotebookResult> results, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        await OfflineAssets.CopyToAsync(Path.Combine(folder, "vendor"), cancellationToken);
        var pages = results
            .Select(r => (Result: r, Notebook: NotebookReader.Read(r.Path)))
            .Select(p =>
                (
                    p.Result,
                    p.Notebook,
                    Link: new HtmlExporter.Link(Path.GetFileNameWithoutExtension(p.Result.Path) + ".html", HtmlExporter.Title(p.Notebook))
                )
            )
            .ToList();
        for (var i = 0; i < pages.Count; i++)
        {
            var previous = i > 0 ? pages[i - 1].Link : null;
            var next = i + 1 < pages.Count ? pages[i + 1].Link : null;
            var html = HtmlExporter.Render(pages[i].Notebook, pages[i].Result, previous, next);
            await File.WriteAllTextAsync(Path.Combine(folder, pages[i].Link.File), html, cancellationToken);
        }
        var index = Path.Combine(folder, "index.html");
        await File.WriteAllTextAsync(index, Index(pages.Select(p => (p.Result, p.Notebook, p.Link)).ToList()), cancellationToken);
        return index;
    }

    static string Index(IReadOnlyList<(NotebookResult Result, Notebook Notebook, HtmlExporter.Link Link)> pages)
    {
        var html = new StringBuilder(HtmlExporter.Head("Contents"));
        html.Append("<main>\n<h1>Contents</h1>\n<table class=\"contents\">\n<thead><tr><th>chapter</th><th>the failure</th>")
            .Append("<th>what it proves</th><th>minutes to run</th></tr></thead>\n<tbody>\n");
        foreach (var (result, notebook, link) in pages)
        {
            var checks = Checks(result);
            html.Append($"<tr><td><a href=\"{link.File}\">{WebUtility.HtmlEncode(link.Title)}</a></td>")
                .Append($"<td>{WebUtility.HtmlEncode(Failure(notebook))}</td><td>")
                .Append(
                    checks.Count == 0
                        ? "—"
                        : $"<details><summary>{checks.Count} checks pass</summary><ul>{string.Concat(checks.Select(c => $"<li>{WebUtility.HtmlEncode(c)}</li>"))}</ul></details>"
                )
                .Append($"</td><td>{(result.Duration.TotalMinutes).ToString("0.0", CultureInfo.InvariantCulture)}</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n</main>\n<script>hljs.highlightAll();</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The first paragraph after the title, as plain text, cut at about 300 characters.</summary>
    static string Failure(Notebook notebook)
    {
        var markdown = notebook.Cells.FirstOrDefault(c => c.IsMarkdown)?.Source.Replace("\r\n", "\n") ?? "";
        var paragraph =
            markdown.Split("\n\n").Select(p => p.Trim()).FirstOrDefault(p => p.Length > 0 && !p.StartsWith('#') && !p.StartsWith('|'))
            ?? "";
        var text = Markdig.Markdown.ToPlainText(paragraph, HtmlExporter.Markdown).Replace('\n', ' ').Trim();
        if (text.Length <= 300)
            return text;
        var cut = text.LastIndexOf(' ', 300);
        return text[..(cut > 200 ? cut : 300)] + " …";
    }

    /// <summary>The lines the notebook's check cells printed as passed (✓ …): what it proves, as it ran.</summary>
    static List<string> Checks(NotebookResult result) =>
        result
            .Cells.SelectMany(c => c.Outputs.OfType<StreamOutput>())
            .SelectMany(s => s.Text.Split('\n'))
            .Select(l => CheckLine().Match(l))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value.Trim())
            .ToList();

    [GeneratedRegex(@"^\s*✓\s+(.+)$")]
    private static partial Regex CheckLine();
}

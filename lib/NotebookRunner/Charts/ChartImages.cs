using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NotebookRunner.Execution;
using NotebookRunner.Export;

namespace NotebookRunner.Charts;

/// <summary>
/// PNG pictures of the Plotly charts among a notebook's outputs, for readers whose viewer runs no script (GitHub,
/// nbviewer, VS Code offline). Every chart of the notebook is drawn by plotly.js in one headless Chromium page (the
/// charts' own scripts, with require.js answered by the local plotly.js) and turned into a PNG by <c>Plotly.toImage</c>.
/// Each picture goes into its chart's HTML as an <c>&lt;img&gt;</c> inside the chart's div, with a small script that
/// removes it as soon as Plotly draws there, and also into the same display as <c>image/png</c> (so renderers that pick
/// an image find one, and VS Code shows no second output).
/// </summary>
public sealed partial class ChartImages
{
    readonly Dictionary<DisplayOutput, List<(string Id, string Png)>> _pictures = new(ReferenceEqualityComparer.Instance);

    /// <summary>Why no pictures were made (no Chromium, no npm), or null.</summary>
    public string? Warning { get; private init; }

    public int Count => _pictures.Values.Sum(p => p.Count);

    /// <summary>A display that holds a Plotly chart and no picture yet.</summary>
    public static bool IsChart(DisplayOutput output) =>
        output.Data.TryGetValue("text/html", out var html)
        && html.Contains("newPlot(", StringComparison.Ordinal)
        && !output.Data.ContainsKey("image/png");

    public static async Task<ChartImages> RenderAsync(IReadOnlyList<DisplayOutput> outputs, CancellationToken cancellationToken)
    {
        var charts = outputs.Where(IsChart).ToList();
        if (charts.Count == 0)
            return new ChartImages();
        var chromium = Chromium.Find();
        if (chromium is null)
            return new ChartImages
            {
                Warning = "charts stored without pictures: chromium was not found (install Debian's chromium or set CHROMIUM_PATH)",
            };
        var folder = Directory.CreateTempSubdirectory("runner-charts-").FullName;
        try
        {
            string plotly;
            try
            {
                plotly = await OfflineAssets.PlotlyAsync(cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                return new ChartImages { Warning = $"charts stored without pictures: {e.Message}" };
            }
            var page = Path.Combine(folder, "charts.html");
            await File.WriteAllTextAsync(page, Page(charts, new Uri(plotly).AbsoluteUri), cancellationToken);
            var dom = await Chromium.DumpDomAsync(chromium, page, TimeSpan.FromSeconds(30 + 2 * charts.Count), cancellationToken);
            var result = Result().Match(dom);
            if (!result.Success)
                return new ChartImages
                {
                    Warning = $"charts stored without pictures: the chart page did not finish drawing its {charts.Count} charts",
                };
            var images = new ChartImages();
            foreach (
                var picture in JsonSerializer.Deserialize<Picture[]>(
                    WebUtility.HtmlDecode(result.Groups[1].Value),
                    JsonSerializerOptions.Web
                )!
            )
            {
                if (!images._pictures.TryGetValue(charts[picture.Output], out var list))
                    images._pictures[charts[picture.Output]] = list = [];
                list.Add((picture.Id, picture.Png));
            }
            return images;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    sealed record Picture(int Output, string Id, string Png);

    /// <summary>The output with its pictures in (the output itself when it has none).</summary>
    public CellOutput Apply(CellOutput output)
    {
        if (output is not DisplayOutput display || !_pictures.TryGetValue(display, out var pictures))
            return output;
        var html = display.Data["text/html"];
        foreach (var (id, png) in pictures)
            html = Regex.Replace(
                html,
                $"<div id=\"{Regex.Escape(id)}\"[^>]*>",
                m => m.Value + Embedded(id, png),
                RegexOptions.None,
                TimeSpan.FromSeconds(5)
            );
        var data = new Dictionary<string, string>(display.Data) { ["text/html"] = html, ["image/png"] = pictures[0].Png };
        return new DisplayOutput(data);
    }

    /// <summary>The picture and the script that removes it once Plotly draws in the div (class js-plotly-plot).</summary>
    static string Embedded(string id, string png) =>
        $"<img class=\"runner-png\" id=\"{id}-png\" alt=\"chart\" style=\"max-width:100%\" src=\"data:image/png;base64,{png}\">"
        + "<script class=\"runner-png\">(function(){var g=document.getElementById('"
        + id
        + "'),i=document.getElementById('"
        + id
        + "-png');if(!g||!i)return;var o=new MutationObserver(function(){if(g.classList.contains('js-plotly-plot')){i.remove();o.disconnect();}});"
        + "o.observe(g,{attributes:true,childList:true});})();</script>";

    /// <summary>Removes what <see cref="Apply"/> put in: <c>check</c> compares the chart, not its picture.</summary>
    public static string StripPictures(string html) => Embeds().Replace(html, "");

    /// <summary>A page holding every chart, each output in its own element; when all have drawn, the PNGs go into #result.</summary>
    static string Page(IReadOnlyList<DisplayOutput> charts, string plotlyUri)
    {
        var body = new StringBuilder();
        for (var i = 0; i < charts.Count; i++)
            body.Append($"<div data-output=\"{i}\">").Append(charts[i].Data["text/html"]).Append("</div>\n");
        return $$"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8">
            <script src="{{plotlyUri}}"></script>
            <script>
            // The charts load plotly through require.js: answer with the plotly.js already on the page.
            window.requirejs = function (deps, callback) { callback(window.Plotly); };
            window.requirejs.config = function () { return window.requirejs; };
            window.require = window.requirejs;
            </script>
            </head><body>
            {{body}}
            <pre id="result"></pre>
            <script>
            window.addEventListener('load', async function () {
              await new Promise(function (r) { setTimeout(r, 50); });
              var out = [];
              for (var gd of document.querySelectorAll('.js-plotly-plot')) {
                var owner = gd.closest('[data-output]');
                var full = gd._fullLayout || {};
                var url = await Plotly.toImage(gd, { format: 'png', width: full.width || 700, height: full.height || 450 });
                out.push({ output: +owner.getAttribute('data-output'), id: gd.id, png: url.substring(url.indexOf(',') + 1) });
              }
              document.getElementById('result').textContent = JSON.stringify(out);
            });
            </script>
            </body></html>
            """;
    }

    [GeneratedRegex("<pre id=\"result\">(\\[.*?\\])</pre>", RegexOptions.Singleline)]
    private static partial Regex Result();

    [GeneratedRegex("<img class=\"runner-png\"[^>]*>|<script class=\"runner-png\">.*?</script>", RegexOptions.Singleline)]
    private static partial Regex Embeds();
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MnistNotebooks.Charting;

/// <summary>Ready-to-display HTML for a notebook cell (a digit gallery, or an XPlot chart converted by the formatter);
/// <c>Formatters.Register()</c> renders it as text/html. Plotly figures use the require.js form Plotly.NET.Interactive
/// emits: a &lt;div id=ID&gt; and a script loading plotly through
/// <c>requirejs.config({context:'fsharp-plotly',paths:{plotly:PlotlyRequirePath}})</c>.</summary>
public sealed partial record ChartHtml(string Html, string Id)
{
    /// <summary>
    /// The one place the plotly.js location is written (a require.js module path: no ".js").
    /// Plotly.NET 6.0.0 pins plotly.js 2.28.0 (<c>global::Globals.PLOTLYJS_VERSION</c> in Plotly.NET).
    /// Offline exports rewrite this string to a local plotly.js.
    /// </summary>
    public const string PlotlyRequirePath = "https://cdn.plot.ly/plotly-2.28.0.min";

    private static long s_sequence;

    public override string ToString() => Html;

    /// <summary>Wraps plotly JSON strings (data array, layout object, config object) in the require.js form.</summary>
    public static ChartHtml FromPlotlyJson(string dataJson, string layoutJson, string configJson)
    {
        string id = NextId(dataJson + layoutJson);
        string script = global::Globals
            .REQUIREJS_SCRIPT_TEMPLATE.Replace("[REQUIRE_SRC]", PlotlyRequirePath)
            .Replace("[SCRIPTID]", id.Replace("-", ""))
            .Replace("[ID]", id)
            .Replace("[DATA]", dataJson)
            .Replace("[LAYOUT]", layoutJson)
            .Replace("[CONFIG]", configJson);
        string html =
            $"<div id=\"{id}\"><!-- Plotly chart will be drawn inside this DIV --></div>"
            + $"<script type=\"text/javascript\">{script}</script>";
        return new ChartHtml(html, id);
    }

    /// <summary>An XPlot.Plotly chart in the same require.js form (its traces and layout, our plotly path).</summary>
    public static ChartHtml FromXPlot(XPlot.Plotly.PlotlyChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        string js = chart.GetInlineJS();
        Match data = XPlotData().Match(js);
        Match layout = XPlotLayout().Match(js);
        if (!data.Success)
        {
            throw new FormatException($"Expected XPlot's 'var data = [...];' in its inline JS but got: {js}");
        }
        string layoutJson = layout.Success ? layout.Groups[1].Value.Trim() : "{}";
        var layoutNode = layoutJson is "\"\"" or "" ? new JsonObject() : JsonNode.Parse(layoutJson)!.AsObject();
        layoutNode.TryAdd("width", chart.Width);
        layoutNode.TryAdd("height", chart.Height);
        return FromPlotlyJson(data.Groups[1].Value.Trim(), layoutNode.ToJsonString(), "{\"responsive\":true}");
    }

    /// <summary>A Plotly.NET chart in the same require.js form (its figure JSON, our plotly path): the fallback display
    /// where the Plotly.NET.Interactive extension is not loaded.</summary>
    public static ChartHtml FromPlotlyNet(Plotly.NET.GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var figure = JsonNode.Parse(Plotly.NET.GenericChart.toFigureJson(chart))!.AsObject();
        var data = figure["data"]?.ToJsonString() ?? "[]";
        var layout = figure["layout"]?.ToJsonString() ?? "{}";
        return FromPlotlyJson(data, layout, "{\"responsive\":true}");
    }

    /// <summary>Plain HTML (no script), e.g. an image gallery, with a deterministic id.</summary>
    public static ChartHtml FromHtml(Func<string, string> htmlForId, string seed)
    {
        string id = NextId(seed);
        return new ChartHtml(htmlForId(id), id);
    }

    /// <summary>A GUID-shaped id derived from the content and a per-process counter: stable between runs of a notebook.</summary>
    private static string NextId(string content)
    {
        long n = Interlocked.Increment(ref s_sequence);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{n}#{content}"));
        return new Guid(hash.AsSpan(0, 16)).ToString("D");
    }

    [GeneratedRegex(@"var\s+data\s*=\s*(.*?);\s*\n", RegexOptions.Singleline)]
    private static partial Regex XPlotData();

    [GeneratedRegex(@"var\s+layout\s*=\s*(.*?);\s*\n", RegexOptions.Singleline)]
    private static partial Regex XPlotLayout();
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MnistNotebooks.Charting;

namespace MnistNotebooks.Tests.Charts;

/// <summary>Reads back the figure of a Plotly.NET chart (its figure JSON, as the extension serialises it) or of a ChartHtml
/// (checking the require.js wrapper on the way).</summary>
internal sealed record PlotlyPayload(string Id, JsonArray Data, JsonObject Layout, JsonObject Config)
{
    public static PlotlyPayload Parse(Plotly.NET.GenericChart chart)
    {
        string figure = Plotly.NET.GenericChart.toFigureJson(chart);
        Assert.DoesNotMatch(@"\bNaN\b|\bInfinity\b", Regex.Replace(figure, @"""(?:[^""\\]|\\.)*""", "\"\""));
        JsonObject f = JsonNode.Parse(figure)!.AsObject();
        // The extension draws this chart through the same require.js form as ChartHtml.
        Parse(ChartHtml.FromPlotlyNet(chart));
        return new PlotlyPayload("", f["data"]!.AsArray(), f["layout"]!.AsObject(), new JsonObject());
    }

    public static PlotlyPayload Parse(ChartHtml chart)
    {
        string html = chart.Html;
        Assert.StartsWith($"<div id=\"{chart.Id}\">", html);
        Assert.Contains("<script type=\"text/javascript\">", html);
        Assert.Contains(
            $"requirejs.config({{context:'fsharp-plotly',paths:{{plotly:'{ChartHtml.PlotlyRequirePath}'}}}}) || require;",
            html
        );
        Assert.Contains("https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js", html);
        Assert.Contains($"Plotly.newPlot('{chart.Id}', data, layout, config);", html);
        Assert.Contains($"renderPlotly_{chart.Id.Replace("-", "")}();", html);
        Assert.EndsWith("</script>", html);
        string data = Var(html, "data"),
            layout = Var(html, "layout"),
            config = Var(html, "config");
        // JSON has no NaN / Infinity literals: a bare one would make the whole script a syntax error.
        // (Inside strings, e.g. a title "1 NaN/±∞ not shown", they are harmless.)
        foreach (string json in new[] { data, layout, config })
        {
            Assert.DoesNotMatch(@"\bNaN\b|\bInfinity\b", Regex.Replace(json, @"""(?:[^""\\]|\\.)*""", "\"\""));
        }

        return new PlotlyPayload(
            chart.Id,
            JsonNode.Parse(data)!.AsArray(),
            JsonNode.Parse(layout)!.AsObject(),
            JsonNode.Parse(config)!.AsObject()
        );
    }

    public static double?[] Numbers(JsonNode? array) =>
        array!.AsArray().Select(n => n is null ? (double?)null : n.GetValue<double>()).ToArray();

    private static string Var(string html, string name)
    {
        Match m = Regex.Match(html, $@"var {name} = (.*?);\r?\n");
        Assert.True(m.Success, $"Expected 'var {name} = ...;' in the chart script");
        return m.Groups[1].Value;
    }
}

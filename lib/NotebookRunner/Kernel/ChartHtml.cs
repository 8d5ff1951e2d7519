namespace NotebookRunner.Kernel;

/// <summary>The require.js HTML the chart kernel extensions write for a chart, so outputs match what VS Code stored.</summary>
public static class ChartHtml
{
    public const string PlotlyCdn = "https://cdn.plot.ly/plotly-2.27.0.min";
    public const string RequireJsCdn = "https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js";

    /// <summary>What Plotly.NET.Interactive's formatter requires: the plotly.js matching Plotly.NET 6 (2.28.0), loaded through require.js.</summary>
    public const string PlotlyNetCdn = "https://cdn.plot.ly/plotly-2.28.0.min";

    /// <summary>XPlot.Plotly.Interactive: the chart's div, then its script wrapped to load plotly through require.js.</summary>
    public static string XPlot(string id, int width, int height, string inlineJs)
    {
        var js = inlineJs.Replace("<script>", "").Replace("</script>", "").Trim();
        return $$$"""
            <div id="{{{id}}}" style="width: {{{width}}}px; height: {{{height}}}px;"></div>
            <script type="text/javascript">
            var renderPlotly = function() {
                var xplotRequire = require.config({context:'xplot-3.0.1',paths:{plotly:'{{{PlotlyCdn}}}'}}) || require;
                xplotRequire(['plotly'], function(Plotly) {
            {{{js}}}
                });
            };
            if ((typeof(require) !== typeof(Function)) || (typeof(require.config) !== typeof(Function))) {
                var script = document.createElement("script");
                script.setAttribute("src", "{{{RequireJsCdn}}}");
                script.onload = function(){ renderPlotly(); };
                document.getElementsByTagName("head")[0].appendChild(script);
            }
            else {
                renderPlotly();
            }
            </script>
            """;
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Plotly.NET;

namespace MnistNotebooks.Charting;

public static partial class Charts
{
    /// <summary>Histograms drawn as lines, one per group on shared bin edges (e.g. each layer's activations or gradients,
    /// as in Karpathy's plots): y = density = count / (finite count · bin width), so groups of different sizes compare
    /// and each curve's area is 1. NaN/±∞ are left out and counted in the title.</summary>
    public static GenericChart HistogramLines(
        IEnumerable<(string Name, float[] Values)> groups,
        int bins = 50,
        string? title = null,
        string? xTitle = "value",
        bool logY = false,
        int width = DefaultWidth,
        int height = DefaultHeight
    )
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bins);
        var list = groups.ToList();
        var (edges, centers, nonFinite) = SharedBins(list, bins);
        var data = new JsonArray();
        foreach (var (name, values) in list)
        {
            double[] density = BinDensities(values, edges);
            data.Add(
                new JsonObject
                {
                    ["type"] = "scatter",
                    ["mode"] = "lines",
                    ["name"] = name,
                    ["x"] = PlotlyJson.Numbers(centers),
                    ["y"] = PlotlyJson.Numbers(density, positiveOnly: logY),
                    ["connectgaps"] = false,
                }
            );
        }
        string? fullTitle =
            nonFinite == 0 ? title : string.Create(CultureInfo.InvariantCulture, $"{title ?? "histogram"} ({nonFinite} NaN/±∞ not shown)");
        var layout = PlotlyJson.Layout(fullTitle, xTitle, "density", logY, width, height);
        layout["showlegend"] = true;
        return PlotlyNetChart.Create(data, layout);
    }

    /// <summary>count / (finite count · bin width) per bin of <paramref name="edges"/>; zeros when no value is finite.</summary>
    internal static double[] BinDensities(ReadOnlySpan<float> values, double[] edges)
    {
        double[] counts = BinCounts(values, edges);
        double total = counts.Sum();
        if (total == 0)
            return counts;
        double width = (edges[^1] - edges[0]) / counts.Length;
        for (int i = 0; i < counts.Length; i++)
            counts[i] /= total * width;
        return counts;
    }
}

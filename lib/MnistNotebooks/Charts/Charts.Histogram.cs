using System.Globalization;
using System.Text.Json.Nodes;
using Plotly.NET;

namespace MnistNotebooks.Charting;

public static partial class Charts
{
    /// <summary>Histogram of activations or gradients; binned here (only the counts are sent), NaN/±∞ are counted in the title.</summary>
    public static GenericChart Histogram(
        ReadOnlySpan<float> values,
        int bins = 50,
        string? title = null,
        string? xTitle = "value",
        bool logY = false,
        int width = DefaultWidth,
        int height = DefaultHeight
    ) => Histogram([("values", values.ToArray())], bins, title, xTitle, logY, width, height);

    /// <summary>A histogram of doubles (converted to float for binning and display).</summary>
    public static GenericChart Histogram(
        IEnumerable<double> values,
        int bins = 50,
        string? title = null,
        string? xTitle = "value",
        bool logY = false,
        int width = DefaultWidth,
        int height = DefaultHeight
    ) => Histogram([("values", values.Select(v => (float)v).ToArray())], bins, title, xTitle, logY, width, height);

    /// <summary>Overlaid histograms on shared bin edges (e.g. gradients of each layer).</summary>
    public static GenericChart Histogram(
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
            double[] counts = BinCounts(values, edges);
            data.Add(
                new JsonObject
                {
                    ["type"] = "bar",
                    ["name"] = name,
                    ["x"] = PlotlyJson.Numbers(centers),
                    ["y"] = PlotlyJson.Numbers(counts),
                    ["width"] = counts.Length == 0 ? 1 : edges[1] - edges[0],
                    ["opacity"] = list.Count > 1 ? 0.6 : 1.0,
                }
            );
        }
        string? fullTitle =
            nonFinite == 0 ? title : string.Create(CultureInfo.InvariantCulture, $"{title ?? "histogram"} ({nonFinite} NaN/±∞ not shown)");
        var layout = PlotlyJson.Layout(fullTitle, xTitle, "count", logY, width, height);
        layout["barmode"] = "overlay";
        layout["bargap"] = 0;
        layout["showlegend"] = list.Count > 1;
        return PlotlyNetChart.Create(data, layout);
    }

    /// <summary>bins + 1 equal-width edges over [min, max]; no bins if no finite value; a unit-wide bin if min == max.</summary>
    internal static double[] BinEdges(float min, float max, int bins)
    {
        if (min > max)
            return [];
        double lo = min,
            hi = max;
        if (lo == hi)
        {
            lo -= 0.5;
            hi += 0.5;
            bins = 1;
        }
        var edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++)
            edges[i] = lo + (hi - lo) * i / bins;
        return edges;
    }

    /// <summary>Counts per bin [e_i, e_{i+1}); the last bin also holds its right edge; non-finite values are skipped.</summary>
    internal static double[] BinCounts(ReadOnlySpan<float> values, double[] edges)
    {
        if (edges.Length < 2)
            return [];
        int bins = edges.Length - 1;
        var counts = new double[bins];
        double lo = edges[0],
            width = (edges[^1] - edges[0]) / bins;
        foreach (float v in values)
        {
            if (!float.IsFinite(v))
                continue;
            int bin = (int)((v - lo) / width);
            counts[Math.Clamp(bin, 0, bins - 1)]++;
        }
        return counts;
    }

    /// <summary>Bin edges shared by every group (over all their finite values), the bins' centres, and how many values
    /// were NaN or ±∞.</summary>
    private static (double[] Edges, double[] Centers, int NonFinite) SharedBins(List<(string Name, float[] Values)> groups, int bins)
    {
        float min = float.PositiveInfinity,
            max = float.NegativeInfinity;
        int nonFinite = 0;
        foreach (var (_, values) in groups)
        {
            foreach (float v in values)
            {
                if (!float.IsFinite(v))
                {
                    nonFinite++;
                    continue;
                }
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }
        double[] edges = BinEdges(min, max, bins);
        var centers = new double[Math.Max(edges.Length - 1, 0)];
        for (int i = 0; i < centers.Length; i++)
        {
            centers[i] = (edges[i] + edges[i + 1]) / 2;
        }
        return (edges, centers, nonFinite);
    }
}

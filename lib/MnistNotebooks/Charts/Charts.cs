using System.Globalization;
using System.Text.Json.Nodes;
using Plotly.NET;

namespace MnistNotebooks.Charting;

/// <summary>Chart helpers for the notebooks. Each plot is a Plotly.NET <see cref="GenericChart"/> (restyle it with Plotly.NET's
/// API), shown by the Plotly.NET.Interactive extension; a digit gallery is plain HTML (<see cref="ChartHtml"/>). Every chart
/// has an explicit width and height, which the stored picture of the chart uses.</summary>
public static partial class Charts
{
    public const int DefaultWidth = 700;
    public const int DefaultHeight = 400;

    /// <summary>Curves (loss, accuracy, ...) per step or epoch; NaN/±∞ (and ≤ 0 with <paramref name="logY"/>) are dropped as gaps and counted in the legend name.
    /// <paramref name="logX"/> draws x on a log scale (e.g. against the learning rate); points with x ≤ 0 are then dropped.</summary>
    public static GenericChart Line(
        IEnumerable<Series> series,
        string? title = null,
        string? xTitle = "step",
        string? yTitle = null,
        bool logY = false,
        int width = DefaultWidth,
        int height = DefaultHeight,
        bool logX = false
    )
    {
        ArgumentNullException.ThrowIfNull(series);
        var data = new JsonArray();
        foreach (Series given in series)
        {
            Series s = logX ? PlotlyJson.PositiveX(given) : given;
            int dropped = s.Y.Count(v => !PlotlyJson.IsPlottable(v, logY)) + given.Y.Count - s.Y.Count;
            string name =
                dropped == 0
                    ? s.Name
                    : string.Create(
                        CultureInfo.InvariantCulture,
                        $"{s.Name} ({dropped} {(logY || logX ? "non-finite or ≤ 0" : "non-finite")} dropped)"
                    );
            data.Add(
                new JsonObject
                {
                    ["type"] = "scatter",
                    ["mode"] = "lines",
                    ["name"] = name,
                    ["x"] = s.X is null ? PlotlyJson.Range(s.Y.Count) : PlotlyJson.Numbers(s.X),
                    ["y"] = PlotlyJson.Numbers(s.Y, positiveOnly: logY),
                    ["connectgaps"] = false,
                }
            );
        }
        var layout = PlotlyJson.Layout(title, xTitle, yTitle, logY, width, height);
        layout["showlegend"] = true;
        if (logX)
        {
            layout["xaxis"]!["type"] = "log";
            layout["xaxis"]!["exponentformat"] = "power";
        }
        return PlotlyNetChart.Create(data, layout);
    }

    /// <summary>One curve: <c>Charts.Line("loss", losses, logY: true)</c>.</summary>
    public static GenericChart Line(
        string name,
        IEnumerable<double> y,
        string? title = null,
        string? xTitle = "step",
        string? yTitle = null,
        bool logY = false,
        int width = DefaultWidth,
        int height = DefaultHeight
    ) => Line([new Series(name, y)], title, xTitle, yTitle ?? name, logY, width, height);

    /// <summary>One curve from floats.</summary>
    public static GenericChart Line(
        string name,
        IEnumerable<float> y,
        string? title = null,
        string? xTitle = "step",
        string? yTitle = null,
        bool logY = false,
        int width = DefaultWidth,
        int height = DefaultHeight
    ) => Line([new Series(name, y)], title, xTitle, yTitle ?? name, logY, width, height);

    /// <summary>Bars for categories, e.g. predicted-class counts "0".."9".</summary>
    public static GenericChart Bar(
        IEnumerable<string> categories,
        IEnumerable<double> values,
        string? title = null,
        string? xTitle = null,
        string? yTitle = null,
        int width = DefaultWidth,
        int height = DefaultHeight
    ) => Bar(categories, [new Series(yTitle ?? "value", values)], title, xTitle, yTitle, width, height);

    /// <summary>Grouped bars: one bar per series in each category (e.g. before / after).</summary>
    public static GenericChart Bar(
        IEnumerable<string> categories,
        IEnumerable<Series> series,
        string? title = null,
        string? xTitle = null,
        string? yTitle = null,
        int width = DefaultWidth,
        int height = DefaultHeight
    )
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(series);
        string[] labels = categories.ToArray();
        var data = new JsonArray();
        foreach (Series s in series)
        {
            if (s.Y.Count != labels.Length)
            {
                throw new ArgumentException(
                    $"Expected {labels.Length} values in series '{s.Name}' (one per category) but got {s.Y.Count}",
                    nameof(series)
                );
            }
            data.Add(
                new JsonObject
                {
                    ["type"] = "bar",
                    ["name"] = s.Name,
                    ["x"] = PlotlyJson.Strings(labels),
                    ["y"] = PlotlyJson.Numbers(s.Y),
                }
            );
        }
        var layout = PlotlyJson.Layout(title, xTitle, yTitle, logY: false, width, height);
        layout["barmode"] = "group";
        layout["xaxis"]!["type"] = "category";
        return PlotlyNetChart.Create(data, layout);
    }

    /// <summary>How often each class 0..classes-1 occurs in <paramref name="labels"/> (labels outside the range throw).</summary>
    public static double[] ClassCounts(IEnumerable<int> labels, int classes = 10)
    {
        var counts = new double[classes];
        foreach (int label in labels)
        {
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"Expected a class in [0, {classes}) but got {label}");
            }
            counts[label]++;
        }
        return counts;
    }

    /// <summary>Bar chart of predicted-class counts; pass several series (e.g. "before", "after") for grouped bars.</summary>
    public static GenericChart ClassCountBars(
        IEnumerable<(string Name, IEnumerable<int> Labels)> groups,
        int classes = 10,
        string? title = "Predicted class counts",
        int width = DefaultWidth,
        int height = DefaultHeight
    ) =>
        Bar(
            Enumerable.Range(0, classes).Select(c => c.ToString(CultureInfo.InvariantCulture)),
            groups.Select(g => new Series(g.Name, ClassCounts(g.Labels, classes))).ToArray(),
            title,
            "class",
            "count",
            width,
            height
        );
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace MnistNotebooks.Charting;

/// <summary>Builds plotly.js JSON pieces; never writes NaN or Infinity (JSON has no such literals).</summary>
internal static class PlotlyJson
{
    /// <summary>float → double without float noise: 0.1f becomes 0.1, not 0.10000000149011612.</summary>
    public static double Widen(float value) =>
        float.IsFinite(value) ? double.Parse(value.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : value;

    /// <summary>Values as a JSON array; NaN, ±∞ (and values ≤ 0 when <paramref name="positiveOnly"/>) become null, a gap in plotly.</summary>
    public static JsonArray Numbers(IEnumerable<double> values, bool positiveOnly = false)
    {
        var array = new JsonArray();
        foreach (double v in values)
        {
            array.Add(IsPlottable(v, positiveOnly) ? JsonValue.Create(v) : null);
        }
        return array;
    }

    /// <summary>The series without its points whose x is not finite and &gt; 0 (a log x axis cannot show them); X defaults to 0, 1, 2, ...</summary>
    public static Series PositiveX(Series s)
    {
        var keep = Enumerable.Range(0, s.Y.Count).Where(i => IsPlottable(s.X?[i] ?? i, positiveOnly: true)).ToArray();
        return new Series(s.Name, keep.Select(i => s.Y[i]).ToArray(), keep.Select(i => s.X?[i] ?? i).ToArray());
    }

    public static bool IsPlottable(double v, bool positiveOnly) => double.IsFinite(v) && (!positiveOnly || v > 0);

    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    public static JsonArray Range(int count) => new(Enumerable.Range(0, count).Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());

    /// <summary>A layout with title, axis titles, size and optional log y axis.</summary>
    public static JsonObject Layout(string? title, string? xTitle, string? yTitle, bool logY, int width, int height)
    {
        var layout = new JsonObject
        {
            ["width"] = width,
            ["height"] = height,
            ["margin"] = new JsonObject
            {
                ["l"] = 60,
                ["r"] = 20,
                ["t"] = title is null ? 20 : 50,
                ["b"] = 50,
            },
            ["xaxis"] = new JsonObject(),
            ["yaxis"] = new JsonObject(),
        };
        if (title is not null)
        {
            layout["title"] = new JsonObject
            {
                ["text"] = title,
                ["x"] = 0.02,
                ["xanchor"] = "left",
            }; // clear of the mode bar
        }
        if (xTitle is not null)
        {
            layout["xaxis"]!["title"] = new JsonObject { ["text"] = xTitle };
        }
        if (yTitle is not null)
        {
            layout["yaxis"]!["title"] = new JsonObject { ["text"] = yTitle };
        }
        if (logY)
        {
            layout["yaxis"]!["type"] = "log";
            layout["yaxis"]!["exponentformat"] = "power";
        }
        return layout;
    }
}

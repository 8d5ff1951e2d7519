using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plotly.NET;

namespace MnistNotebooks.Charting;

/// <summary>Builds a Plotly.NET chart from plotly.js JSON: each trace object becomes a <see cref="Trace"/> of its
/// <c>type</c>, the layout a <see cref="Layout"/>, every property copied as is (nested objects as dictionaries).</summary>
internal static class PlotlyNetChart
{
    public static GenericChart Create(JsonArray data, JsonObject layout)
    {
        var traces = new List<Trace>();
        foreach (JsonNode? node in data)
        {
            JsonObject t = node!.AsObject();
            var trace = new Trace(t["type"]?.GetValue<string>() ?? "scatter");
            foreach ((string name, JsonNode? value) in t)
            {
                trace.SetProperty(name, Plain(value));
            }
            traces.Add(trace);
        }
        var l = new Layout();
        foreach ((string name, JsonNode? value) in layout)
        {
            l.SetProperty(name, Plain(value));
        }
        return GenericChart.setLayout(l, GenericChart.ofTraceObjects(false, traces));
    }

    /// <summary>A JSON node as the objects Plotly.NET serialises: dictionaries, arrays, strings, doubles, booleans, null.</summary>
    private static object? Plain(JsonNode? node) =>
        node switch
        {
            null => null,
            JsonObject o => o.ToDictionary(p => p.Key, p => Plain(p.Value)),
            JsonArray a => a.Select(Plain).ToArray(),
            JsonValue v => v.GetValueKind() switch
            {
                JsonValueKind.String => v.GetValue<string>(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number => Number(v.ToJsonString()),
                _ => null,
            },
            _ => throw new NotSupportedException($"Unexpected JSON node {node.GetType().Name}"),
        };

    /// <summary>An integer stays an integer (a width of 700 is written 700, not 700.0); anything else is a double.</summary>
    private static object Number(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long i)
            ? i
            : (object)double.Parse(text, CultureInfo.InvariantCulture);
}

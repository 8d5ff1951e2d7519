using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookRunner.Checking;

/// <summary>
/// Compares a cell's stored outputs with fresh ones, like nbval, after normalising what legitimately varies:
/// line endings, display_data vs execute_result, how stream text was split, GUIDs, Submission#N, plotly element ids,
/// timings, the NuGet packages folder, chart pictures (image bytes and the runner's &lt;img&gt;), and stack traces (errors
/// compare by their first line). Numbers in text compare within a tolerance.
/// </summary>
public static partial class OutputComparer
{
    /// <summary>Null when they match, else what differs first.</summary>
    public static string? Compare(IReadOnlyList<JsonObject> stored, IReadOnlyList<JsonObject> produced, Tolerance tolerance)
    {
        var expected = Canonical(stored);
        var actual = Canonical(produced);
        for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            if (i >= expected.Count)
                return $"unexpected output {i + 1}: {Show(actual[i])}";
            if (i >= actual.Count)
                return $"missing output {i + 1}: {Show(expected[i])}";
            var (ek, ev) = expected[i];
            var (ak, av) = actual[i];
            if (ek != ak)
                return $"output {i + 1} is {ak} but {ek} was stored";
            if (FirstDifference(ev, av, tolerance) is { } difference)
                return $"output {i + 1} ({ek}) {difference}";
        }
        return null;
    }

    /// <summary>Each output as (kind, normalised text); consecutive streams of one name joined.</summary>
    static List<(string Kind, string Text)> Canonical(IReadOnlyList<JsonObject> outputs)
    {
        var list = new List<(string Kind, string Text)>();
        foreach (var output in outputs)
        {
            var type = (string?)output["output_type"];
            switch (type)
            {
                case "stream":
                    var name = "stream:" + ((string?)output["name"] ?? "stdout");
                    var text = Join(output["text"]);
                    if (list.Count > 0 && list[^1].Kind == name)
                        list[^1] = (name, list[^1].Text + text);
                    else
                        list.Add((name, text));
                    break;
                case "display_data" or "execute_result":
                    var data = output["data"] as JsonObject ?? [];
                    // One representation both sides have: text/plain as nbval prefers, else the HTML; never the picture bytes.
                    var mime =
                        data.ContainsKey("text/plain") ? "text/plain"
                        : data.ContainsKey("text/html") ? "text/html"
                        : data.Select(p => p.Key)
                            .Where(k => !k.StartsWith("image/", StringComparison.Ordinal))
                            .OrderBy(k => k, StringComparer.Ordinal)
                            .FirstOrDefault()
                            ?? "";
                    var value = mime == "" ? "" : Join(data[mime]);
                    list.Add(("display:" + mime, mime == "text/html" ? Charts.ChartImages.StripPictures(value) : value));
                    break;
                case "error":
                    list.Add(("error", FirstLine((string?)output["evalue"] ?? "")));
                    break;
                default:
                    list.Add((type ?? "?", output.ToJsonString()));
                    break;
            }
        }
        return list.Select(o => (o.Kind, Normalize(o.Text))).ToList();
    }

    static string Join(JsonNode? node) =>
        node switch
        {
            JsonArray a => string.Concat(a.Select(l => (string?)l ?? "")),
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            null => "",
            _ => node.ToJsonString(),
        };

    static string FirstLine(string text) => text.Replace("\r\n", "\n").Split('\n')[0];

    public static string Normalize(string text)
    {
        text = text.Replace("\r\n", "\n").Replace('\r', '\n');
        text = Guid().Replace(text, "<guid>");
        text = HexId().Replace(text, "<guid>");
        text = Submission().Replace(text, "Submission#N");
        text = WallTime().Replace(text, "Wall time: <time>");
        text = Duration().Replace(text, "<duration>");
        text = PlotlyId().Replace(text, m => m.Groups[1].Value + "<id>");
        text = NuGetFolder().Replace(text, "<nuget>/");
        return text.TrimEnd('\n');
    }

    /// <summary>Null when equal after splitting into numbers and the text between them (numbers within tolerance),
    /// else where they first differ, with the text around it: a long chart payload differs in one number, not in its head.</summary>
    static string? FirstDifference(string expected, string actual, Tolerance tolerance)
    {
        if (expected == actual)
            return null;
        var e = Number().Split(expected);
        var a = Number().Split(actual);
        var en = Number().Matches(expected);
        var an = Number().Matches(actual);
        for (var i = 0; i < Math.Min(e.Length, a.Length); i++)
        {
            if (e[i] != a[i])
                break;
            if (i >= en.Count || i >= an.Count)
                break;
            if (
                !double.TryParse(en[i].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                || !double.TryParse(an[i].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
                || !tolerance.Close(x, y)
            )
            {
                return $"number {i + 1} differs beyond the tolerance ({tolerance.Relative:G3} relative, {tolerance.Absolute:G3} absolute): "
                    + $"expected {en[i].Value} but got {an[i].Value} in \"{Around(actual, an[i].Index, an[i].Length)}\"";
            }
        }
        if (e.Length == a.Length && en.Count == an.Count && e.SequenceEqual(a))
            return null;
        var at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at])
            at++;
        return $"text differs at character {at + 1}: expected \"{Around(expected, at, 1)}\" but got \"{Around(actual, at, 1)}\"";
    }

    /// <summary>The text around [index, index + length), on one line, marked with «».</summary>
    static string Around(string text, int index, int length)
    {
        const int Context = 40;
        index = Math.Min(index, text.Length);
        length = Math.Min(length, text.Length - index);
        var start = Math.Max(0, index - Context);
        var end = Math.Min(text.Length, index + length + Context);
        var shown =
            (start > 0 ? "…" : "")
            + text[start..index]
            + "«"
            + text.Substring(index, length)
            + "»"
            + text[(index + length)..end]
            + (end < text.Length ? "…" : "");
        return shown.Replace("\n", "\\n");
    }

    static string Show((string Kind, string Text) o) => $"{o.Kind} \"{Clip(o.Text)}\"";

    static string Clip(string s)
    {
        var one = s.Replace("\n", "\\n");
        return one.Length <= 120 ? one : one[..117] + "...";
    }

    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex(@"(?<![0-9a-zA-Z])[0-9a-f]{32}(?![0-9a-zA-Z])")]
    private static partial Regex HexId();

    [GeneratedRegex(@"Submission#\d+")]
    private static partial Regex Submission();

    [GeneratedRegex(@"Wall time: [0-9.,]+\s*(ms|s|µs)")]
    private static partial Regex WallTime();

    [GeneratedRegex(@"\b\d+(\.\d+)?\s?(ms|µs|ns)\b|\b\d{2}:\d{2}:\d{2}(\.\d+)?\b")]
    private static partial Regex Duration();

    [GeneratedRegex(@"((?:id=""|getElementById\(['""]|renderPlotly_|newPlot\(['""])[A-Za-z_]*)[0-9a-zA-Z_<>-]{6,}")]
    private static partial Regex PlotlyId();

    /// <summary>A path into the NuGet packages folder (as in "Loading extensions from `…`"): it differs between machines.</summary>
    [GeneratedRegex(@"[^\s`'""]*[\\/]\.nuget[\\/]packages[\\/]")]
    private static partial Regex NuGetFolder();

    [GeneratedRegex(@"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")]
    private static partial Regex Number();
}

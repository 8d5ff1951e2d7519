using System.Globalization;
using System.Text.Json;

namespace MnistNotebooks.Course;

/// <summary>The figures a Python twin printed for a chapter: its one JSON line <c>{"notebook", "numpy", "figures": {name:
/// {"value", "rel" | "abs"}}}</c>, read from the copy stored beside the twin, so that a chapter can set the twin's numbers
/// beside its own and check that they agree. A number meets its rule when |twin − chapter| ≤ abs, or ≤ rel·max(|twin|,
/// |chapter|) (neither given: equal); NaN and ±Infinity (spelt as strings) must be equal; arrays element by element;
/// anything else by its JSON text.</summary>
public sealed class TwinFigures
{
    private readonly string path;
    private readonly Dictionary<string, JsonElement> rules;

    private TwinFigures(string path, string notebook, string numpy, Dictionary<string, JsonElement> rules)
    {
        this.path = path;
        Notebook = notebook;
        NumpyVersion = numpy;
        this.rules = rules;
    }

    /// <summary>The chapter the twin is for, e.g. <c>02-raw-pixels-explode.ipynb</c>.</summary>
    public string Notebook { get; }

    /// <summary>The numpy version the twin ran with.</summary>
    public string NumpyVersion { get; }

    /// <summary>The figures' names, in the twin's order.</summary>
    public IReadOnlyList<string> Names => [.. rules.Keys];

    /// <summary>Reads the last line of <paramref name="path"/> that starts with '{' (the twin's output).</summary>
    public static TwinFigures Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Expected the twin's stored output at {full}, found no file", full);
        }
        string? line = File.ReadAllLines(full).LastOrDefault(l => l.StartsWith('{'));
        try
        {
            using JsonDocument doc = JsonDocument.Parse(line ?? throw new JsonException("no line starts with '{'"));
            JsonElement root = doc.RootElement;
            var rules = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (JsonProperty p in root.GetProperty("figures").EnumerateObject())
            {
                if (!p.Value.TryGetProperty("value", out _))
                {
                    throw new JsonException($"figure '{p.Name}' has no \"value\"");
                }
                rules[p.Name] = p.Value.Clone();
            }
            return new TwinFigures(full, root.GetProperty("notebook").GetString()!, root.GetProperty("numpy").GetString()!, rules);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException(
                $"{full}: expected a twin's JSON line {{\"notebook\", \"numpy\", \"figures\": {{name: {{\"value\", …}}}}}}: {e.Message}",
                e
            );
        }
    }

    /// <summary>The twin's value of <paramref name="name"/> (element <paramref name="index"/> of an array) as a number;
    /// "NaN", "Infinity" and "-Infinity" are read as such.</summary>
    public double Number(string name, int index = -1)
    {
        JsonElement v = Value(name);
        if (index >= 0)
        {
            if (v.ValueKind != JsonValueKind.Array || index >= v.GetArrayLength())
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"{path}: figure '{name}' is {v}, not an array that long");
            }
            v = v[index];
        }
        return ToNumber(v) ?? throw new InvalidOperationException($"{path}: figure '{name}' is {v}, not a number");
    }

    /// <summary>The twin's value of <paramref name="name"/> as JSON.</summary>
    public JsonElement Value(string name) => Rule(name).GetProperty("value");

    /// <summary>Null when <paramref name="chapter"/>'s figure <paramref name="name"/> meets the twin's rule, else why not.</summary>
    public string? Mismatch(string name, Figures chapter)
    {
        ArgumentNullException.ThrowIfNull(chapter);
        JsonElement rule = Rule(name);
        using JsonDocument ours = JsonDocument.Parse(chapter.ToString()[Figures.Marker.Length..]);
        if (!ours.RootElement.TryGetProperty(name, out JsonElement mine))
        {
            return $"{name}: the twin gives {rule.GetProperty("value")}, the chapter has no such figure";
        }
        string? why = Compare(rule, mine);
        return why is null ? null : $"{name}: {why}";
    }

    /// <summary>Checks that the chapter has every twin figure and that each meets the twin's tolerance: prints one ✓ line,
    /// or throws <see cref="CheckFailedException"/> listing every mismatch.</summary>
    public void CheckAgainst(Figures chapter)
    {
        var problems = Names.Select(n => Mismatch(n, chapter)).OfType<string>().ToList();
        if (problems.Count > 0)
        {
            throw new CheckFailedException(
                $"Check failed: the chapter's figures against the twin's ({Path.GetFileName(path)}):\n  " + string.Join("\n  ", problems)
            );
        }
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"✓ all {rules.Count} figures of the numpy twin ({Path.GetFileName(path)}, numpy {NumpyVersion}) agree with the chapter's within their tolerances"
            )
        );
    }

    private JsonElement Rule(string name) =>
        rules.TryGetValue(name, out JsonElement rule)
            ? rule
            : throw new KeyNotFoundException($"{path}: the twin has no figure '{name}' (it has {string.Join(", ", rules.Keys)})");

    private static string? Compare(JsonElement rule, JsonElement chapter)
    {
        JsonElement expected = rule.GetProperty("value");
        if (expected.ValueKind != JsonValueKind.Array)
        {
            return CompareOne(rule, expected, chapter);
        }
        if (chapter.ValueKind != JsonValueKind.Array || chapter.GetArrayLength() != expected.GetArrayLength())
        {
            return $"the twin gives {expected.GetArrayLength()} values, the chapter {chapter}";
        }
        for (int i = 0; i < expected.GetArrayLength(); i++)
        {
            string? why = CompareOne(rule, expected[i], chapter[i]);
            if (why is not null)
            {
                return $"[{i}] {why}";
            }
        }
        return null;
    }

    private static string? CompareOne(JsonElement rule, JsonElement expected, JsonElement chapter)
    {
        double? a = ToNumber(expected),
            b = ToNumber(chapter);
        if (a is null || b is null)
        {
            return expected.GetRawText() == chapter.GetRawText() ? null : $"twin {expected.GetRawText()}, chapter {chapter.GetRawText()}";
        }
        double x = a.Value,
            y = b.Value;
        if (!double.IsFinite(x) || !double.IsFinite(y))
        {
            return x.Equals(y) ? null : Invariant($"twin {x}, chapter {y}");
        }
        double diff = Math.Abs(x - y);
        if (rule.TryGetProperty("abs", out JsonElement abs))
        {
            return diff <= abs.GetDouble() ? null : Invariant($"twin {x:R}, chapter {y:R}: |Δ| = {diff:G3} > {abs.GetDouble()}");
        }
        double rel = rule.TryGetProperty("rel", out JsonElement r) ? r.GetDouble() : 0;
        double scale = Math.Max(Math.Abs(x), Math.Abs(y));
        return diff <= rel * scale ? null : Invariant($"twin {x:R}, chapter {y:R}: relative Δ {diff / scale:G3} > {rel}");
    }

    private static double? ToNumber(JsonElement e) =>
        e.ValueKind == JsonValueKind.Number ? e.GetDouble()
        : e.ValueKind == JsonValueKind.String
        && double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
        : null;

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

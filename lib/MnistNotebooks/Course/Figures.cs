using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MnistNotebooks.Course;

/// <summary>A chapter's measured figures by name, printed as one JSON line that a test compares with the same figures from
/// another implementation (a numpy twin of the code the chapter reproduces). Numbers keep every digit (round-trip).</summary>
public sealed class Figures
{
    /// <summary>The line's prefix, so that a reader of the stored outputs finds it.</summary>
    public const string Marker = "FIGURES ";

    private readonly JsonObject values = [];

    /// <summary>Adds (or replaces) a number; NaN and ±Infinity are stored as the strings "NaN", "Infinity", "-Infinity".</summary>
    public Figures Add(string name, double value)
    {
        values[name] = double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public Figures Add(string name, long value)
    {
        values[name] = JsonValue.Create(value);
        return this;
    }

    public Figures Add(string name, bool value)
    {
        values[name] = JsonValue.Create(value);
        return this;
    }

    public Figures Add(string name, string value)
    {
        values[name] = JsonValue.Create(value);
        return this;
    }

    /// <summary>A list of numbers, e.g. a loss curve.</summary>
    public Figures Add(string name, IEnumerable<double> series)
    {
        var array = new JsonArray();
        foreach (double v in series)
        {
            array.Add(double.IsFinite(v) ? JsonValue.Create(v) : JsonValue.Create(v.ToString(CultureInfo.InvariantCulture)));
        }
        values[name] = array;
        return this;
    }

    /// <summary>A list of booleans, e.g. "every weight NaN" per update.</summary>
    public Figures Add(string name, IEnumerable<bool> flags)
    {
        var array = new JsonArray();
        foreach (bool v in flags)
        {
            array.Add(JsonValue.Create(v));
        }
        values[name] = array;
        return this;
    }

    /// <summary>Prints <c>FIGURES {"name": value, …}</c> on one line.</summary>
    public void Print() => Console.WriteLine(ToString());

    public override string ToString() => Marker + values.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}

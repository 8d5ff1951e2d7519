using System.Text.Json.Nodes;

namespace NotebookRunner.Checking;

/// <summary>
/// How close two numbers in outputs must be: |a-b| &lt;= Absolute + Relative·max(|a|,|b|).
/// A notebook sets it in its metadata: <c>"runner": {"tolerance": 1e-6}</c> (relative) or
/// <c>"runner": {"tolerance": {"relative": 1e-6, "absolute": 1e-9}}</c>; a cell with <c>// runner: tolerance 1e-3</c>
/// (relative), <c>tolerance rel=1e-3</c>, <c>tolerance abs=1e-6</c> or both. What is not set keeps the notebook's value:
/// a relative tolerance must not also become an absolute one, or every number below it would match anything.
/// </summary>
public sealed record Tolerance(double Relative, double Absolute)
{
    public bool Close(double a, double b)
    {
        if (a.Equals(b))
            return true;
        if (double.IsNaN(a) || double.IsNaN(b) || double.IsInfinity(a) || double.IsInfinity(b))
            return false;
        return Math.Abs(a - b) <= Absolute + Relative * Math.Max(Math.Abs(a), Math.Abs(b));
    }

    /// <summary>The notebook's tolerance, else the options' one; a malformed setting also falls back, and
    /// <see cref="Problem"/> (reported by the linter) says what is wrong with it.</summary>
    public static Tolerance FromNotebook(JsonObject metadata, RunOptions options) =>
        Read(metadata, new Tolerance(options.RelativeTolerance, options.AbsoluteTolerance)).Tolerance;

    /// <summary>What is wrong with <c>metadata.runner.tolerance</c>, naming what was expected and what was found; null when
    /// it is absent or well formed.</summary>
    public static string? Problem(JsonObject metadata) => Read(metadata, new Tolerance(0, 0)).Problem;

    const string Expected = "a number ≥ 0 (relative) or {\"relative\": r, \"absolute\": a} with r, a ≥ 0";

    static (Tolerance Tolerance, string? Problem) Read(JsonObject metadata, Tolerance fallback)
    {
        switch (metadata["runner"])
        {
            case null:
                return (fallback, null);
            case not JsonObject:
                return (
                    fallback,
                    $"metadata.runner: expected an object such as {{\"tolerance\": 1e-6}}, found {Found(metadata["runner"])}"
                );
        }
        var node = metadata["runner"]!["tolerance"];
        if (node is null)
            return (fallback, null);
        if (node is JsonValue && Number(node) is { } relative)
            return (fallback with { Relative = relative }, null);
        if (node is JsonObject o && o.All(p => p.Key is "relative" or "absolute"))
        {
            var (r, a) = (Number(o["relative"]), Number(o["absolute"]));
            if ((o["relative"] is null || r is not null) && (o["absolute"] is null || a is not null))
                return (new Tolerance(r ?? fallback.Relative, a ?? fallback.Absolute), null);
        }
        return (fallback, $"metadata.runner.tolerance: expected {Expected}, found {Found(node)}");
    }

    /// <summary>A finite number ≥ 0, else null.</summary>
    static double? Number(JsonNode? node) => node is JsonValue v && v.TryGetValue(out double d) && double.IsFinite(d) && d >= 0 ? d : null;

    static string Found(JsonNode? node) => node?.ToJsonString() ?? "null";
}

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

    public static Tolerance FromNotebook(JsonObject metadata, RunOptions options)
    {
        var fallback = new Tolerance(options.RelativeTolerance, options.AbsoluteTolerance);
        var node = metadata["runner"]?["tolerance"];
        try
        {
            return node switch
            {
                JsonValue v => fallback with { Relative = v.GetValue<double>() },
                JsonObject o => new Tolerance((double?)o["relative"] ?? fallback.Relative, (double?)o["absolute"] ?? fallback.Absolute),
                _ => fallback,
            };
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            return fallback;
        }
    }
}

using System.Globalization;
using NotebookRunner.Documents;

namespace NotebookRunner;

/// <summary>
/// What the runner does with a cell beyond running it, from the cell's tags or from <c>// runner:</c> comments on its first lines.
/// <code>
/// // runner: skip                         tag: skip, runner-skip, nbval-skip, skip-execution
/// // runner: raises                       tag: raises-exception, nbval-raises-exception
/// // runner: raises InvalidOperationException   tag: raises:InvalidOperationException
/// // runner: timeout 30                   tag: timeout:30           (seconds)
/// // runner: ignore-output                tag: ignore-output, nbval-ignore-output
/// // runner: tolerance 1e-3               tag: tolerance:1e-3       (relative; the absolute one stays the notebook's)
/// // runner: tolerance rel=1e-3 abs=1e-6  tag: tolerance:abs=1e-6
/// </code>
/// Several controls go on one line separated by ';' (<c>// runner: raises; ignore-output</c>) or on consecutive leading lines.
/// </summary>
public sealed record CellControls
{
    public const string Prefix = "// runner:";

    public bool Skip { get; init; }
    public bool ExpectException { get; init; }
    public string? ExpectedExceptionType { get; init; }
    public TimeSpan? Timeout { get; init; }
    public bool IgnoreOutput { get; init; }
    public double? RelativeTolerance { get; init; }
    public double? AbsoluteTolerance { get; init; }

    /// <summary>The notebook's tolerance with what this cell sets instead.</summary>
    public Checking.Tolerance Tolerance(Checking.Tolerance notebook) =>
        new(RelativeTolerance ?? notebook.Relative, AbsoluteTolerance ?? notebook.Absolute);

    /// <summary>Directives that were not understood, reported as cell failures so typos do not pass silently.</summary>
    public IReadOnlyList<string> Unknown { get; init; } = [];

    public static CellControls For(Cell cell)
    {
        var controls = new CellControls();
        var unknown = new List<string>();
        foreach (var tag in cell.Tags)
        {
            var (name, arg) = Split(tag, ':');
            controls = Apply(controls, name, arg, unknown, fromTag: true);
        }
        foreach (var line in cell.Source.Replace("\r\n", "\n").Split('\n'))
        {
            var trimmed = line.Trim();
            if (!trimmed.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
                break;
            foreach (
                var part in trimmed[Prefix.Length..].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            )
            {
                var (name, arg) = Split(part, ' ');
                controls = Apply(controls, name, arg, unknown, fromTag: false);
            }
        }
        return controls with { Unknown = unknown };
    }

    /// <summary>"1e-3" (relative), "rel=1e-3", "abs=1e-6", "rel=1e-3 abs=1e-6"; null when malformed.</summary>
    static (double? Relative, double? Absolute)? ParseTolerance(string? arg)
    {
        static double? Number(string s) =>
            double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 && double.IsFinite(v) ? v : null;
        if (string.IsNullOrWhiteSpace(arg))
            return null;
        if (Number(arg) is { } plain)
            return (plain, null);
        double? relative = null,
            absolute = null;
        foreach (var part in arg.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = Split(part, '=');
            var number = value is null ? null : Number(value);
            if (number is null)
                return null;
            if (key is "rel" or "relative")
                relative = number;
            else if (key is "abs" or "absolute")
                absolute = number;
            else
                return null;
        }
        return (relative, absolute);
    }

    static (string Name, string? Arg) Split(string text, char separator)
    {
        var i = text.IndexOf(separator);
        return i < 0 ? (text.Trim().ToLowerInvariant(), null) : (text[..i].Trim().ToLowerInvariant(), text[(i + 1)..].Trim());
    }

    static CellControls Apply(CellControls c, string name, string? arg, List<string> unknown, bool fromTag)
    {
        switch (name)
        {
            case "skip" or "runner-skip" or "nbval-skip" or "skip-execution":
                return c with { Skip = true };
            case "raises" or "raises-exception" or "nbval-raises-exception":
                return c with { ExpectException = true, ExpectedExceptionType = string.IsNullOrEmpty(arg) ? null : arg };
            case "ignore-output" or "nbval-ignore-output" or "no-compare":
                return c with { IgnoreOutput = true };
            case "timeout" when double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0:
                return c with { Timeout = TimeSpan.FromSeconds(seconds) };
            case "tolerance" when ParseTolerance(arg) is { } t:
                return c with
                {
                    RelativeTolerance = t.Relative ?? c.RelativeTolerance,
                    AbsoluteTolerance = t.Absolute ?? c.AbsoluteTolerance,
                };
            default:
                // Tags belong to everyone (Jupyter, papermill, ...): only the runner's own comment directives must be understood.
                if (!fromTag)
                    unknown.Add(arg is null ? name : $"{name} {arg}");
                return c;
        }
    }
}

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
/// // runner: tolerance 1e-3               tag: tolerance:1e-3       (relative and absolute)
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
    public double? Tolerance { get; init; }

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
            case "tolerance"
                when double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out var tolerance) && tolerance >= 0:
                return c with { Tolerance = tolerance };
            default:
                // Tags belong to everyone (Jupyter, papermill, ...): only the runner's own comment directives must be understood.
                if (!fromTag)
                    unknown.Add(arg is null ? name : $"{name} {arg}");
                return c;
        }
    }
}

using System.Globalization;
using Spectre.Console;

namespace NotebookRunner.Reporting;

/// <summary>
/// Prints the run: plain lines when output is redirected or CI is set, otherwise a live status line
/// (which notebook and cell is running and for how long) above the per-cell lines.
/// </summary>
public sealed class ConsoleReporter
{
    readonly TextWriter _out;
    readonly bool _interactive;
    readonly Lock _gate = new();
    string _status = "";
    DateTimeOffset _cellStarted;

    public ConsoleReporter(TextWriter output, bool? interactive = null)
    {
        _out = output;
        _interactive =
            interactive
            ?? (
                !Console.IsOutputRedirected
                && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
                && AnsiConsole.Profile.Capabilities.Interactive
            );
    }

    public bool Interactive => _interactive;

    public void OnEvent(RunEvent e)
    {
        lock (_gate)
        {
            switch (e)
            {
                case NotebookStarted s:
                    Line($"▶ {s.NotebookPath} ({s.CellCount} cells)", "bold");
                    break;
                case CellStarted c:
                    _cellStarted = c.At;
                    _status = $"{Path.GetFileName(c.NotebookPath)} · cell {c.CellNumber}";
                    break;
                case CellFinished f:
                    _status = "";
                    var c2 = f.Cell;
                    var time = c2.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
                    var (mark, style) = c2.Status switch
                    {
                        CellStatus.Passed => ("✓", "green"),
                        CellStatus.Failed => ("✗", "red"),
                        _ => ("-", "grey"),
                    };
                    Line(
                        $"  {mark} cell {c2.Number} [{c2.Status.ToString().ToLowerInvariant()}] {time}s{(c2.Message is null ? "" : " " + c2.Message)}",
                        style
                    );
                    break;
                case NotebookFinished n:
                    foreach (var w in n.Result.Warnings)
                        Line($"  ! {w}", "yellow");
                    foreach (var err in n.Result.Errors)
                        Line($"  ✗ {err}", "red");
                    var verdict = n.Result.Succeeded ? "PASSED" : "FAILED";
                    Line(
                        $"{verdict} {n.NotebookPath} in {n.Result.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)}s{(n.Result.Written ? " (written)" : "")}",
                        n.Result.Succeeded ? "green bold" : "red bold"
                    );
                    break;
            }
        }
    }

    /// <summary>The live line for a terminal: what is running and for how long.</summary>
    public string? Status()
    {
        lock (_gate)
        {
            if (_status.Length == 0)
                return null;
            return $"{_status} · {(DateTimeOffset.Now - _cellStarted).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s";
        }
    }

    void Line(string text, string style)
    {
        if (_interactive)
            AnsiConsole.MarkupLine($"[{style}]{Markup.Escape(text)}[/]");
        else
            _out.WriteLine(text);
    }

    public void Summary(IReadOnlyList<NotebookResult> results)
    {
        var failed = results.Count(r => !r.Succeeded);
        foreach (var r in results.Where(r => !r.Succeeded))
        foreach (var f in r.Failures)
            _out.WriteLine($"{r.Path}: {f}");
        _out.WriteLine($"{results.Count - failed} passed, {failed} failed");
    }
}

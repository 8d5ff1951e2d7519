using System.Globalization;
using Spectre.Console;

namespace NotebookRunner.Reporting;

/// <summary>
/// Prints the run: plain lines when output is redirected or CI is set, otherwise a live status line (what is running and for
/// how long) above the per-cell lines. With notebooks side by side, each notebook's lines are held until those before it in
/// path order are printed, so the report reads in path order whatever finished first.
/// </summary>
public sealed class ConsoleReporter
{
    readonly TextWriter _out;
    readonly bool _interactive;
    readonly Lock _gate = new();
    readonly List<string> _order;
    readonly Dictionary<string, List<(string Text, string Style)>> _held = [];
    readonly HashSet<string> _finished = [];
    readonly Dictionary<string, (string Status, DateTimeOffset Since)> _running = [];
    int _head;

    public ConsoleReporter(TextWriter output, IReadOnlyList<string> notebooks, bool? interactive = null)
    {
        _out = output;
        _order = [.. notebooks];
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
            var path = e.NotebookPath;
            switch (e)
            {
                case NotebookStarted s:
                    Line(path, $"▶ {path} ({s.CellCount} cells)", "bold");
                    break;
                case CellStarted c:
                    _running[path] = ($"{Path.GetFileName(path)} · cell {c.CellNumber}", c.At);
                    break;
                case CellFinished f:
                    _running.Remove(path);
                    var cell = f.Cell;
                    var time = cell.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
                    var (mark, style) = cell.Status switch
                    {
                        CellStatus.Passed => ("✓", "green"),
                        CellStatus.Failed => ("✗", "red"),
                        _ => ("-", "grey"),
                    };
                    var message = cell.Message is null ? "" : " " + cell.Message.Replace("\n", "\n      ");
                    Line(path, $"  {mark} cell {cell.Number} [{cell.Status.ToString().ToLowerInvariant()}] {time}s{message}", style);
                    break;
                case NotebookFinished n:
                    foreach (var w in n.Result.Warnings)
                        Line(path, $"  ! {w}", "yellow");
                    foreach (var err in n.Result.Errors)
                        Line(path, $"  ✗ {err}", "red");
                    var seconds = n.Result.Duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
                    Line(
                        path,
                        $"{(n.Result.Succeeded ? "PASSED" : "FAILED")} {path} in {seconds}s{(n.Result.Written ? " (written)" : "")}",
                        n.Result.Succeeded ? "green bold" : "red bold"
                    );
                    _finished.Add(path);
                    Flush();
                    break;
            }
        }
    }

    /// <summary>The live line for a terminal: what is running and for how long.</summary>
    public string? Status()
    {
        lock (_gate)
        {
            if (_running.Count == 0)
                return null;
            var now = DateTimeOffset.Now;
            return string.Join(
                "  ",
                _running.Values.Select(r => $"{r.Status} · {(now - r.Since).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s")
            );
        }
    }

    void Line(string path, string text, string style)
    {
        if (_head < _order.Count && _order[_head] != path)
        {
            if (!_held.TryGetValue(path, out var held))
                _held[path] = held = [];
            held.Add((text, style));
            return;
        }
        Print(text, style);
    }

    /// <summary>Moves past finished notebooks at the head of the order, printing what the next ones held.</summary>
    void Flush()
    {
        while (_head < _order.Count && _finished.Contains(_order[_head]))
        {
            _head++;
            if (_head < _order.Count && _held.Remove(_order[_head], out var held))
                foreach (var (text, style) in held)
                    Print(text, style);
        }
    }

    void Print(string text, string style)
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

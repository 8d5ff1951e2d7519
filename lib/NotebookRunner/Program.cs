using System.CommandLine;
using NotebookRunner;
using NotebookRunner.Checking;
using NotebookRunner.Documents;
using NotebookRunner.Export;
using NotebookRunner.Reporting;
using Spectre.Console;

// notebook-runner run|update|check|lint|export <paths...>: files or folders (searched recursively for .ipynb and .dib).
var paths = new Argument<string[]>("paths")
{
    Description = "Notebooks (.ipynb, .dib) or folders to search",
    Arity = ArgumentArity.OneOrMore,
};
var junit = new Option<string?>("--junit") { Description = "Write a JUnit XML report to this path" };
var timeout = new Option<double>("--timeout")
{
    Description = "Per-cell timeout in seconds (a cell can set its own)",
    DefaultValueFactory = _ => 300,
};
var force = new Option<bool>("--force") { Description = "update: write outputs back even if the run failed" };
var output = new Option<string>("--output", "-o")
{
    Description = "export: folder for the HTML files",
    DefaultValueFactory = _ => "out/html",
};
var stopOnError = new Option<bool>("--stop-on-error")
{
    Description = "Leave a notebook's remaining cells unrun after one fails, as VS Code's Run All does",
};
var plain = new Option<bool>("--plain") { Description = "Plain lines, no live terminal display" };

var root = new RootCommand("Runs C# Polyglot notebooks headless, the way the .NET Interactive C# kernel did.");
foreach (
    var (name, mode, description) in new[]
    {
        ("run", RunMode.Run, "Execute the notebooks and report"),
        ("update", RunMode.Update, "Execute and write the outputs back into the .ipynb files"),
        ("check", RunMode.Check, "Execute and compare with the stored outputs (like nbval)"),
    }
)
{
    var command = new Command(name, description) { paths, junit, timeout, force, stopOnError, plain };
    command.SetAction((parse, cancellation) => RunAsync(parse, mode, cancellation));
    root.Subcommands.Add(command);
}
var lint = new Command("lint", "Check notebooks without running them") { paths };
lint.SetAction(parse => Lint(parse));
root.Subcommands.Add(lint);
var export = new Command("export", "Execute and export to HTML (charts work offline)") { paths, output, timeout, plain };
export.SetAction((parse, cancellation) => ExportAsync(parse, cancellation));
root.Subcommands.Add(export);

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
        Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine(
        "usage: NotebookRunner run|update|check|lint|export <paths...> [--junit file] [--timeout seconds] [--force] [--stop-on-error] [-o folder]"
    );
    return 2;
}
return await parsed.InvokeAsync();

List<string>? Find(ParseResult parse)
{
    var found = new List<string>();
    foreach (var path in parse.GetValue(paths) ?? [])
    {
        if (Directory.Exists(path))
            found.AddRange(
                Directory
                    .EnumerateFiles(path, "*.*", SearchOption.AllDirectories)
                    .Where(NotebookReader.IsNotebook)
                    .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".ipynb_checkpoints"))
                    .Order(StringComparer.Ordinal)
            );
        else if (File.Exists(path) && NotebookReader.IsNotebook(path))
            found.Add(path);
        else
        {
            Console.Error.WriteLine($"not a notebook or folder: {path}");
            return null;
        }
    }
    if (found.Count == 0)
        Console.Error.WriteLine("no notebooks found");
    return found.Count == 0 ? null : found;
}

async Task<int> RunAsync(ParseResult parse, RunMode mode, CancellationToken cancellation)
{
    var notebooks = Find(parse);
    if (notebooks is null)
        return 2;
    var (results, _) = await Execute(parse, notebooks, mode, cancellation);
    if (parse.GetValue(junit) is { } junitPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(junitPath))!);
        JUnitReport.Build(results).Save(junitPath);
    }
    return results.All(r => r.Succeeded) ? 0 : 1;
}

async Task<(List<NotebookResult> Results, ConsoleReporter Reporter)> Execute(
    ParseResult parse,
    List<string> notebooks,
    RunMode mode,
    CancellationToken cancellation
)
{
    var reporter = new ConsoleReporter(Console.Out, parse.GetValue(plain) ? false : null);
    var options = new RunOptions
    {
        Mode = mode,
        Force = parse.GetValue(force),
        StopOnError = parse.GetValue(stopOnError),
        CellTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
        OnEvent = reporter.OnEvent,
    };
    var results = new List<NotebookResult>();
    async Task RunAll()
    {
        foreach (var notebook in notebooks)
            results.Add(await Runner.RunAsync(notebook, options, cancellation));
    }
    if (reporter.Interactive)
    {
        await AnsiConsole
            .Status()
            .StartAsync(
                "starting",
                async context =>
                {
                    var run = RunAll();
                    while (await Task.WhenAny(run, Task.Delay(200, CancellationToken.None)) != run)
                        context.Status(Markup.Escape(reporter.Status() ?? "running"));
                    await run;
                }
            );
    }
    else
    {
        await RunAll();
    }
    reporter.Summary(results);
    return (results, reporter);
}

int Lint(ParseResult parse)
{
    var notebooks = Find(parse);
    if (notebooks is null)
        return 2;
    var failed = 0;
    foreach (var path in notebooks)
    {
        var issues = Linter.Lint(NotebookReader.Read(path));
        foreach (var issue in issues)
            Console.WriteLine($"{path}: {(issue.IsError ? "error" : "warning")}: {issue}");
        if (issues.Any(i => i.IsError))
            failed++;
    }
    Console.WriteLine($"{notebooks.Count - failed} passed, {failed} failed");
    return failed == 0 ? 0 : 1;
}

async Task<int> ExportAsync(ParseResult parse, CancellationToken cancellation)
{
    var notebooks = Find(parse);
    if (notebooks is null)
        return 2;
    var folder = parse.GetValue(output)!;
    var (results, _) = await Execute(parse, notebooks, RunMode.Run, cancellation);
    foreach (var result in results)
    {
        var file = await HtmlExporter.ExportAsync(NotebookReader.Read(result.Path), result, folder, cancellation);
        Console.WriteLine($"exported {file}");
    }
    return results.All(r => r.Succeeded) ? 0 : 1;
}

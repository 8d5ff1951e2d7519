using System.CommandLine;
using NotebookRunner;
using NotebookRunner.Checking;
using NotebookRunner.Documents;
using NotebookRunner.Export;
using NotebookRunner.Reporting;
using NotebookRunner.Worker;
using Spectre.Console;

// NotebookRunner run|update|check|lint|export <paths...>: files or folders (searched recursively for .ipynb and .dib).
var paths = new Argument<string[]>("paths")
{
    Description = "Notebooks (.ipynb, .dib) or folders to search",
    Arity = ArgumentArity.OneOrMore,
};
var junit = new Option<string?>("--junit") { Description = "Write a JUnit XML report to this file" };
var timeout = new Option<double>("--timeout")
{
    Description = "Per-cell timeout in seconds (a cell can set its own)",
    DefaultValueFactory = _ => 300,
};
var jobs = new Option<int>("--jobs", "-j")
{
    Description = "Notebooks run side by side, each in its own kernel process",
    DefaultValueFactory = _ => Environment.ProcessorCount,
};
var force = new Option<bool>("--force") { Description = "update: write outputs back even if the run failed" };
var output = new Option<string>("--output", "-o") { Description = "export: folder for the site", DefaultValueFactory = _ => "out/html" };
var keepGoing = new Option<bool>("--keep-going")
{
    Description = "Run a notebook's cells after a failure too (nbval's way); by default it stops, as Run All does",
};
var plain = new Option<bool>("--plain") { Description = "Plain lines, no live terminal display" };

var root = new RootCommand("Runs C# Polyglot notebooks headless in the real .NET Interactive C# kernel, one process per notebook.");
foreach (
    var (name, mode, description) in new[]
    {
        ("run", RunMode.Run, "Execute the notebooks and report"),
        ("update", RunMode.Update, "Execute and write the outputs back into the .ipynb files (charts get a PNG)"),
        ("check", RunMode.Check, "Execute and compare with the stored outputs (like nbval)"),
    }
)
{
    var command = new Command(name, description) { paths, junit, timeout, jobs, force, keepGoing, plain };
    command.SetAction((parse, cancellation) => RunAsync(parse, mode, cancellation));
    root.Subcommands.Add(command);
}
var lint = new Command("lint", "Check notebooks without running them") { paths };
lint.SetAction(parse => Lint(parse));
root.Subcommands.Add(lint);
var export = new Command("export", "Execute and export a site: an index, one page per notebook, charts working offline")
{
    paths,
    output,
    timeout,
    jobs,
    keepGoing,
    plain,
};
export.SetAction((parse, cancellation) => ExportAsync(parse, cancellation));
root.Subcommands.Add(export);
var folder = new Argument<string>("folder");
var worker = new Command("worker", "Internal: one notebook's kernel, driven over stdio by the runner") { folder };
worker.Hidden = true;
worker.SetAction((parse, cancellation) => WorkerServer.RunAsync(parse.GetValue(folder)!, cancellation));
root.Subcommands.Add(worker);

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
        Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine(
        "usage: NotebookRunner run|update|check|lint|export <paths...> [--junit file] [--timeout seconds] [--jobs N] [--force] [--keep-going] [-o folder]"
    );
    return 2;
}
return await parsed.InvokeAsync();

/// <summary>Usage errors found before anything runs (exit code 2).</summary>
bool Invalid(ParseResult parse)
{
    var errors = new List<string>();
    var seconds = parse.GetValue(timeout);
    if (!(seconds > 0) || double.IsInfinity(seconds))
        errors.Add($"--timeout must be a positive number of seconds, got {seconds}");
    if (parse.GetValue(jobs) < 1)
        errors.Add($"--jobs must be at least 1, got {parse.GetValue(jobs)}");
    if (parse.GetValue(junit) is { } junitPath && Directory.Exists(junitPath))
        errors.Add($"--junit expects a file to write, but {junitPath} is a folder");
    foreach (var error in errors)
        Console.Error.WriteLine(error);
    return errors.Count > 0;
}

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
    var notebooks = Invalid(parse) ? null : Find(parse);
    if (notebooks is null)
        return 2;
    var results = await Execute(parse, notebooks, mode, cancellation);
    if (parse.GetValue(junit) is { } junitPath)
        JUnitReport.Write(results, junitPath);
    return results.All(r => r.Succeeded) ? 0 : 1;
}

async Task<List<NotebookResult>> Execute(ParseResult parse, List<string> notebooks, RunMode mode, CancellationToken cancellation)
{
    var reporter = new ConsoleReporter(Console.Out, notebooks, parse.GetValue(plain) ? false : null);
    var options = new RunOptions
    {
        Mode = mode,
        Force = parse.GetValue(force),
        KeepGoing = parse.GetValue(keepGoing),
        CellTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
        OnEvent = reporter.OnEvent,
        WorkerProcessors = ProcessorShare.For(parse.GetValue(jobs), notebooks.Count, Environment.ProcessorCount),
    };
    // Started longest first (StartOrder), stored by index: results, the summary and the JUnit file stay in path order.
    var results = new NotebookResult[notebooks.Count];
    var run = Parallel.ForEachAsync(
        StartOrder.For(notebooks, parse.GetValue(jobs)),
        new ParallelOptions { MaxDegreeOfParallelism = parse.GetValue(jobs), CancellationToken = cancellation },
        async (i, token) => results[i] = await Runner.RunAsync(notebooks[i], options, token)
    );
    if (reporter.Interactive)
        await AnsiConsole
            .Status()
            .StartAsync(
                "starting",
                async context =>
                {
                    while (await Task.WhenAny(run, Task.Delay(200, CancellationToken.None)) != run)
                        context.Status(Markup.Escape(reporter.Status() ?? "running"));
                    await run;
                }
            );
    else
        await run;
    reporter.Summary(results);
    return [.. results];
}

int Lint(ParseResult parse)
{
    var notebooks = Find(parse);
    if (notebooks is null)
        return 2;
    var failed = 0;
    foreach (var path in notebooks)
    {
        IReadOnlyList<LintIssue> issues;
        try
        {
            issues = Linter.Lint(NotebookReader.Read(path));
        }
        catch (Exception e)
            when (e
                    is IOException
                        or System.Text.Json.JsonException
                        or FormatException
                        or NotSupportedException
                        or UnauthorizedAccessException
            )
        {
            issues = [new LintIssue(path, null, true, $"cannot read notebook: {e.Message}")];
        }
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
    var notebooks = Invalid(parse) ? null : Find(parse);
    if (notebooks is null)
        return 2;
    var results = await Execute(parse, notebooks, RunMode.Run, cancellation);
    var index = await SiteExporter.ExportAsync(results, parse.GetValue(output)!, cancellation);
    Console.WriteLine($"exported {index}");
    return results.All(r => r.Succeeded) ? 0 : 1;
}

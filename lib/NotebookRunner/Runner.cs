using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Formatting;
using NotebookRunner.Checking;
using NotebookRunner.Documents;
using NotebookRunner.Execution;
using NotebookRunner.Kernel;

namespace NotebookRunner;

/// <summary>
/// Runs a notebook the way the Polyglot C# kernel does: a loop over cells, each submitted to one script state,
/// its outputs collected as VS Code stores them; then reports, compares (check) or writes back (update).
/// </summary>
public static class Runner
{
    /// <summary>Working directory, culture and console are process-wide: one notebook runs at a time per process.</summary>
    static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task<NotebookResult> RunAsync(
        string path,
        RunOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        options ??= new RunOptions();
        var stopwatch = Stopwatch.StartNew();
        Notebook notebook;
        try
        {
            // Resolved once, here: the run changes the working directory to the notebook's folder, after which a
            // relative path (`check notebooks/x.ipynb`) would point somewhere else.
            notebook = NotebookReader.Read(Path.GetFullPath(path));
        }
        catch (Exception e)
            when (e is IOException or JsonException or FormatException or NotSupportedException or UnauthorizedAccessException)
        {
            return new NotebookResult(path, [], [$"cannot read notebook: {e.Message}"], [], stopwatch.Elapsed, false);
        }

        var issues = Linter.Lint(notebook);
        var errors = issues.Where(i => i.IsError).Select(i => i.ToString()).ToList();
        var warnings = issues.Where(i => !i.IsError).Select(i => i.ToString()).ToList();

        options.OnEvent?.Invoke(new NotebookStarted(path, notebook.Cells.Count));
        await Gate.WaitAsync(cancellationToken);
        List<CellResult> cells;
        try
        {
            cells = await ExecuteAsync(notebook, options, errors, cancellationToken);
        }
        finally
        {
            Gate.Release();
        }

        var written = false;
        var failed = errors.Count > 0 || cells.Any(c => c.Status == CellStatus.Failed);
        if (options.Mode == RunMode.Update)
        {
            if (notebook.Format != NotebookFormat.Ipynb)
                warnings.Add(".dib notebooks hold no outputs: nothing written");
            else if (failed && !options.Force)
                warnings.Add("not written back because the run failed (use --force to write anyway)");
            else
            {
                var indent = VsCodeJson.DetectIndent(File.ReadAllText(path));
                IpynbWriter.EnsureNotebookMetadata(notebook);
                IpynbWriter.WriteAtomically(path, IpynbWriter.Serialize(notebook, indent));
                written = true;
            }
        }

        var result = new NotebookResult(path, cells, errors, warnings, stopwatch.Elapsed, written);
        options.OnEvent?.Invoke(new NotebookFinished(path, result));
        return result;
    }

    /// <summary>DOTNET_CLI_CULTURE, else DOTNET_CLI_UI_LANGUAGE, else the invariant culture.</summary>
    public static CultureInfo NotebookCulture()
    {
        var name = Environment.GetEnvironmentVariable("DOTNET_CLI_CULTURE") ?? Environment.GetEnvironmentVariable("DOTNET_CLI_UI_LANGUAGE");
        if (string.IsNullOrWhiteSpace(name))
            return CultureInfo.InvariantCulture;
        try
        {
            return CultureInfo.GetCultureInfo(name);
        }
        catch (CultureNotFoundException)
        {
            return CultureInfo.InvariantCulture;
        }
    }

    static async Task<List<CellResult>> ExecuteAsync(
        Notebook notebook,
        RunOptions options,
        List<string> errors,
        CancellationToken cancellationToken
    )
    {
        var results = new List<CellResult>();
        var previousDirectory = Environment.CurrentDirectory;
        var previousCulture = (CultureInfo.DefaultThreadCurrentCulture, CultureInfo.DefaultThreadCurrentUICulture);
        var culture = NotebookCulture();
        var tolerance = Tolerance.FromNotebook(notebook.Metadata, options);
        ConsoleRouter.Install();
        try
        {
            Environment.CurrentDirectory = notebook.Directory;
            CultureInfo.DefaultThreadCurrentCulture = culture;
            CultureInfo.DefaultThreadCurrentUICulture = culture;
            Formatter.ResetToDefault();
            var session = new CSharpSession(notebook.Directory);
            var executionCount = 0;
            string? stopped = null; // why the remaining cells are not run: a timeout (always) or a failure (StopOnError)

            foreach (var cell in notebook.Cells)
            {
                cancellationToken.ThrowIfCancellationRequested();
                CellResult result;
                if (cell.IsMarkdown || cell.IsRaw)
                    result = new CellResult(cell.Number, cell.KernelName, CellStatus.NotCode, null, TimeSpan.Zero, [], null);
                else if (stopped is not null)
                    result = new CellResult(cell.Number, cell.KernelName, CellStatus.NotRun, stopped, TimeSpan.Zero, [], null);
                else
                {
                    options.OnEvent?.Invoke(new CellStarted(notebook.Path, cell.Number, DateTimeOffset.Now));
                    var controls = CellControls.For(cell);
                    var cellTolerance = controls.Tolerance is { } t ? new Tolerance(t, t) : tolerance;
                    result = await RunCellAsync(session, cell, controls, options, culture, () => ++executionCount);
                    if (result.Status == CellStatus.Failed && result.Message?.StartsWith("timed out", StringComparison.Ordinal) == true)
                    {
                        stopped = $"not run: cell {cell.Number} timed out";
                        errors.Add($"cell {cell.Number} {result.Message}");
                    }
                    else if (result.Status == CellStatus.Failed && options.StopOnError)
                        stopped = $"not run: cell {cell.Number} failed (--stop-on-error)";
                    if (
                        options.Mode == RunMode.Check
                        && result.Status == CellStatus.Passed
                        && !controls.IgnoreOutput
                        && cell.Json is not null
                    )
                    {
                        var produced = result.Outputs.Select(IpynbWriter.ToJson).ToArray();
                        var mismatch = OutputComparer.Compare(cell.StoredOutputs, produced, cellTolerance);
                        if (mismatch is not null)
                            result = result with
                            {
                                Status = CellStatus.Failed,
                                Message = $"output differs from the stored output: {mismatch}",
                            };
                    }
                    if (
                        options.Mode == RunMode.Update
                        && cell.Json is not null
                        && result.Status != CellStatus.Skipped
                        && result.Status != CellStatus.NotRun
                    )
                        IpynbWriter.SetOutputs(cell, result.Outputs, result.ExecutionCount);
                }
                results.Add(result);
                if (result.Status is not CellStatus.NotCode)
                    options.OnEvent?.Invoke(new CellFinished(notebook.Path, result));
            }
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
            (CultureInfo.DefaultThreadCurrentCulture, CultureInfo.DefaultThreadCurrentUICulture) = previousCulture;
        }
        return results;
    }

    static async Task<CellResult> RunCellAsync(
        CSharpSession session,
        Cell cell,
        CellControls controls,
        RunOptions options,
        CultureInfo culture,
        Func<int> nextExecutionCount
    )
    {
        CellResult Done(CellStatus status, string? message, TimeSpan duration, IReadOnlyList<CellOutput> outputs, int? count = null) =>
            new(cell.Number, cell.KernelName, status, message, duration, outputs, count);

        if (controls.Unknown.Count > 0)
            return Done(CellStatus.Failed, $"unknown runner directive '{string.Join("', '", controls.Unknown)}'", TimeSpan.Zero, []);
        if (controls.Skip)
            return Done(CellStatus.Skipped, "skipped by directive", TimeSpan.Zero, []);
        if (cell.KernelName != "csharp")
            return Done(
                CellStatus.Failed,
                $"kernel '{cell.KernelName}' is not supported: the runner runs C# cells only",
                TimeSpan.Zero,
                []
            );

        var directives = CellDirectives.Parse(cell.Source);
        if (directives.OtherKernel is not null)
            return Done(
                CellStatus.Failed,
                $"kernel '{directives.OtherKernel}' (#!{directives.OtherKernel}) is not supported: the runner runs C# cells only",
                TimeSpan.Zero,
                []
            );
        if (directives.UnsupportedMagic is not null)
            return Done(
                CellStatus.Failed,
                $"magic command '{directives.UnsupportedMagic}' is not supported (supported: #!time, #r, #i)",
                TimeSpan.Zero,
                []
            );

        var sink = new OutputSink();
        var count = nextExecutionCount();
        var timeout = controls.Timeout ?? options.CellTimeout;
        var stopwatch = Stopwatch.StartNew();
        var run = OnDedicatedThread(() => ExecuteCellAsync(session, cell, directives, sink), culture, sink);
        var finished = await Task.WhenAny(run, Task.Delay(timeout));
        stopwatch.Stop();
        if (finished != run)
        {
            // Roslyn cannot abort a running submission: the thread is abandoned and the notebook stops here.
            var seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return Done(CellStatus.Failed, $"timed out after {seconds}s", stopwatch.Elapsed, sink.Snapshot(), count);
        }

        var outcome = await run;
        if (directives.Time)
            sink.Add(new DisplayOutput { Data = new Dictionary<string, string> { ["text/plain"] = WallTime(stopwatch.Elapsed) } });
        var outputs = sink.Snapshot();
        var error = outputs.OfType<ErrorOutput>().FirstOrDefault();

        if (controls.ExpectException)
        {
            if (error is null)
                return Done(
                    CellStatus.Failed,
                    $"expected {(controls.ExpectedExceptionType ?? "an exception")} but the cell completed without one",
                    stopwatch.Elapsed,
                    outputs,
                    count
                );
            if (controls.ExpectedExceptionType is { } expected && !Matches(outcome, error, expected))
                return Done(
                    CellStatus.Failed,
                    $"expected {expected} but got {error.EName}: {FirstLine(error.EValue)}",
                    stopwatch.Elapsed,
                    outputs,
                    count
                );
            return Done(CellStatus.Passed, $"raised {error.EName} as expected", stopwatch.Elapsed, outputs, count);
        }
        if (error is not null)
            return Done(CellStatus.Failed, $"{error.EName}: {FirstLine(error.EValue)}", stopwatch.Elapsed, outputs, count);
        return Done(CellStatus.Passed, null, stopwatch.Elapsed, outputs, count);
    }

    static string WallTime(TimeSpan elapsed) =>
        elapsed.TotalSeconds >= 1
            ? $"Wall time: {elapsed.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s"
            : $"Wall time: {elapsed.TotalMilliseconds.ToString("0.####", CultureInfo.InvariantCulture)}ms";

    static string FirstLine(string text) => text.Replace("\r\n", "\n").Split('\n')[0];

    static bool Matches(SubmissionResult? outcome, ErrorOutput error, string expected)
    {
        if (outcome?.Exception is { } exception)
        {
            for (var type = exception.GetType(); type is not null; type = type.BaseType)
                if (type.Name == expected || type.FullName == expected)
                    return true;
            return false;
        }
        return error.EName == expected || error.EValue.Contains(expected, StringComparison.Ordinal);
    }

    /// <summary>The cell's work: packages first (as the kernel runs #r "nuget:" before the rest of the cell), then the code.</summary>
    static async Task<SubmissionResult?> ExecuteCellAsync(CSharpSession session, Cell cell, CellDirectives directives, OutputSink sink)
    {
        foreach (var path in directives.AssemblyPaths)
        {
            var full = Path.IsPathRooted(path) ? path : Path.Combine(session.BaseDirectory, path);
            if (File.Exists(full))
                CSharpSession.AddProbeDirectory(Path.GetDirectoryName(Path.GetFullPath(full))!);
        }
        foreach (var source in directives.Sources)
            sink.Write(
                "stdout",
                $"#i \"{source}\": package sources are not used; packages resolve from the local NuGet cache and configured feeds.\n"
            );

        foreach (var request in directives.Packages)
        {
            var plan = KernelExtensionEmulation.For(request);
            try
            {
                if (plan.Package is not null)
                    session.AddReferences(session.Packages.Resolve(plan.Package));
            }
            catch (InvalidOperationException e)
            {
                sink.Add(new ErrorOutput("Error", e.Message, [e.Message]));
                return null;
            }
            if (plan.SetupCode is not null)
            {
                var setup = await session.SubmitAsync(plan.SetupCode);
                if (setup.CompileErrors.Count > 0 || setup.Exception is not null)
                {
                    var message = $"could not emulate {request.Id}: {string.Join("; ", setup.CompileErrors)}{setup.Exception?.Message}";
                    sink.Add(new ErrorOutput("Error", message, [message]));
                    return null;
                }
            }
        }

        if (directives.Code.Trim().Length == 0)
            return null;
        var result = await session.SubmitAsync(directives.Code);
        if (result.CompileErrors.Count > 0)
        {
            var evalue = string.Join("\n", result.CompileErrors);
            sink.Add(new ErrorOutput("Error", evalue, []));
        }
        else if (result.Exception is { } exception)
        {
            sink.Add(new ErrorOutput(exception.GetType().Name, exception.Message, exception.ToString().Replace("\r\n", "\n").Split('\n')));
        }
        else if (result.HasReturnValue)
        {
            sink.Add(new DisplayOutput { Data = Display.Format(result.ReturnValue) });
        }
        return result;
    }

    static Task<T> OnDedicatedThread<T>(Func<Task<T>> work, CultureInfo culture, OutputSink sink)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            OutputSink.Current = sink;
            try
            {
                completion.SetResult(work().GetAwaiter().GetResult());
            }
            catch (Exception e)
            {
                // A failure of the runner itself (not of the cell's code, which Roslyn catches): show it as the cell's error.
                sink.Add(new ErrorOutput(e.GetType().Name, e.Message, e.ToString().Split('\n')));
                completion.SetResult(default!);
            }
        })
        {
            IsBackground = true,
            Name = "notebook cell",
        };
        thread.Start();
        return completion.Task;
    }
}

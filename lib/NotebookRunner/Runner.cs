using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NotebookRunner.Charts;
using NotebookRunner.Checking;
using NotebookRunner.Documents;
using NotebookRunner.Execution;
using NotebookRunner.Worker;

namespace NotebookRunner;

/// <summary>
/// Runs one notebook: a loop over its cells, each submitted to the notebook's own kernel in a worker process, its outputs
/// collected in the order the kernel publishes them; then compares them (check) or writes them back (update).
/// </summary>
public static class Runner
{
    public static async Task<NotebookResult> RunAsync(
        string path,
        RunOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        options ??= new RunOptions();
        var stopwatch = Stopwatch.StartNew();
        NotebookFile file;
        Notebook notebook;
        try
        {
            file = NotebookFile.Open(path);
            notebook = NotebookReader.Read(file.Path, file.Text);
        }
        catch (Exception e)
            when (e is IOException or JsonException or FormatException or NotSupportedException or UnauthorizedAccessException)
        {
            return new NotebookResult(path, [], [$"cannot read notebook: {e.Message}"], [], stopwatch.Elapsed, false);
        }

        var issues = Linter.Lint(notebook);
        var errors = issues.Where(i => i.IsError).Select(i => i.ToString()).ToList();
        var warnings = issues.Where(i => !i.IsError).Select(i => i.ToString()).ToList();
        var refusal = issues.FirstOrDefault(i => i.StopsTheRun)?.ToString();
        if (options.Mode == RunMode.Update && notebook.Format == NotebookFormat.Ipynb && file.WhyNotWritable() is { } readOnly)
            errors.Add(refusal ??= readOnly);
        options.OnEvent?.Invoke(new NotebookStarted(path, notebook.Cells.Count));

        var cells = refusal is null
            ? await ExecuteAsync(notebook, options, errors, cancellationToken)
            : notebook.Cells.Select(c => NotRun(c, "not run: " + refusal)).ToList();

        // What the next run over many notebooks orders by: reading and running the cells, the part every mode shares, not
        // the update's chart pictures and write.
        var ran = stopwatch.Elapsed;
        var written = false;
        if (options.Mode == RunMode.Update)
            written = await WriteBackAsync(file, notebook, cells, ran, options, errors, warnings, cancellationToken);
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

    static CellResult NotRun(Cell cell, string why) =>
        new(
            cell.Number,
            cell.KernelName,
            cell.IsMarkdown || cell.IsRaw ? CellStatus.NotCode : CellStatus.NotRun,
            why,
            TimeSpan.Zero,
            [],
            null
        );

    static async Task<List<CellResult>> ExecuteAsync(
        Notebook notebook,
        RunOptions options,
        List<string> errors,
        CancellationToken cancellationToken
    )
    {
        var results = new List<CellResult>();
        var tolerance = Tolerance.FromNotebook(notebook.Metadata, options);
        WorkerClient? worker = null;
        string? stopped = null; // why the remaining cells are not run
        var executionCount = 0;
        try
        {
            foreach (var cell in notebook.Cells)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (cell.IsMarkdown || cell.IsRaw || stopped is not null)
                {
                    results.Add(NotRun(cell, stopped ?? ""));
                    if (results[^1].Status == CellStatus.NotRun)
                        options.OnEvent?.Invoke(new CellFinished(notebook.Path, results[^1]));
                    continue;
                }
                options.OnEvent?.Invoke(new CellStarted(notebook.Path, cell.Number, DateTimeOffset.Now));
                var controls = CellControls.For(cell);
                CellResult result;
                if (Refusal(cell, controls) is { } refused)
                    result = refused;
                else
                {
                    try
                    {
                        worker ??= await WorkerClient.StartAsync(notebook.Directory, TimeSpan.FromMinutes(2), options.WorkerProcessors);
                        result = await RunCellAsync(worker, cell, controls, options, ++executionCount);
                    }
                    catch (InvalidOperationException e)
                    {
                        result = new CellResult(cell.Number, cell.KernelName, CellStatus.Failed, e.Message, TimeSpan.Zero, [], null);
                        stopped = $"not run: {e.Message}";
                    }
                    if (result.Status == CellStatus.Failed)
                    {
                        if (result.Message!.StartsWith("timed out", StringComparison.Ordinal) || result.Message.Contains("worker process"))
                            stopped =
                                $"not run: cell {cell.Number} {(result.Message.StartsWith("timed", StringComparison.Ordinal) ? "timed out" : "ended the kernel")}";
                        else if (!options.KeepGoing)
                            stopped = $"not run: cell {cell.Number} failed (--keep-going runs on)";
                    }
                    if (
                        options.Mode == RunMode.Check
                        && result.Status == CellStatus.Passed
                        && !controls.IgnoreOutput
                        && cell.Json is not null
                    )
                    {
                        var produced = result.Outputs.Select(IpynbWriter.ToJson).ToArray();
                        var cellTolerance = controls.Tolerance(tolerance);
                        if (OutputComparer.Compare(cell.StoredOutputs, produced, cellTolerance) is { } mismatch)
                            result = result with
                            {
                                Status = CellStatus.Failed,
                                Message = $"output differs from the stored output: {mismatch}",
                            };
                    }
                }
                results.Add(result);
                options.OnEvent?.Invoke(new CellFinished(notebook.Path, result));
            }
        }
        finally
        {
            if (worker is not null)
                await worker.DisposeAsync();
        }
        return results;
    }

    /// <summary>A cell the runner does not submit: an unknown directive, a skip, a kernel this runner does not host.</summary>
    static CellResult? Refusal(Cell cell, CellControls controls)
    {
        CellResult Done(CellStatus status, string message) => new(cell.Number, cell.KernelName, status, message, TimeSpan.Zero, [], null);
        if (controls.Unknown.Count > 0)
            return Done(CellStatus.Failed, $"unknown runner directive '{string.Join("', '", controls.Unknown)}'");
        if (controls.Skip)
            return Done(CellStatus.Skipped, "skipped by directive");
        if (!HostedKernels.Contains(cell.KernelName))
            return Done(
                CellStatus.Failed,
                $"kernel '{cell.KernelName}' is not supported: the runner hosts the {string.Join(", ", HostedKernels)} kernels only"
            );
        return null;
    }

    /// <summary>The kernels the worker's CompositeKernel holds (VS Code's also has F#, PowerShell, Mermaid, HTTP).</summary>
    public static readonly string[] HostedKernels = ["csharp", "html", "value"];

    static async Task<CellResult> RunCellAsync(WorkerClient worker, Cell cell, CellControls controls, RunOptions options, int count)
    {
        var outputs = new OutputList();
        var stopwatch = Stopwatch.StartNew();
        var run = await worker.RunCellAsync(
            new CellRequest(cell.Number, cell.KernelName, cell.Source),
            controls.Timeout ?? options.CellTimeout,
            message =>
            {
                switch (message.Type)
                {
                    case "stdout" or "stderr":
                        outputs.Write(message.Type, message.Text ?? "");
                        break;
                    case "display":
                        outputs.Display(message.Data ?? [], message.ValueId, message.Update);
                        break;
                    case "error":
                        outputs.Add(ErrorOutput.FromKernelMessage(message.Text ?? ""));
                        break;
                }
            }
        );
        stopwatch.Stop();
        CellResult Done(CellStatus status, string? message) =>
            new(cell.Number, cell.KernelName, status, message, stopwatch.Elapsed, outputs.ToList(), count);

        if (run.TimedOut)
        {
            var seconds = (controls.Timeout ?? options.CellTimeout).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return Done(CellStatus.Failed, $"timed out after {seconds}s (its worker process was killed)");
        }
        if (run.WorkerDied is { } died)
            return Done(CellStatus.Failed, $"stopped the kernel: {died}");
        var done = run.Done!;
        if (controls.ExpectException)
        {
            if (done.Succeeded)
                return Done(
                    CellStatus.Failed,
                    $"expected {controls.ExpectedExceptionType ?? "an exception"} but the cell completed without one"
                );
            if (controls.ExpectedExceptionType is { } expected && !(done.ExceptionTypes ?? []).Contains(expected))
                return Done(CellStatus.Failed, $"expected {expected} but got {done.Message}");
            return Done(CellStatus.Passed, $"raised {done.ExceptionTypes?.FirstOrDefault() ?? "an error"} as expected");
        }
        return done.Succeeded ? Done(CellStatus.Passed, null) : Done(CellStatus.Failed, done.Message);
    }

    static async Task<bool> WriteBackAsync(
        NotebookFile file,
        Notebook notebook,
        List<CellResult> cells,
        TimeSpan ran,
        RunOptions options,
        List<string> errors,
        List<string> warnings,
        CancellationToken cancellationToken
    )
    {
        if (notebook.Format != NotebookFormat.Ipynb)
        {
            warnings.Add(".dib notebooks hold no outputs: nothing written");
            return false;
        }
        var failed = errors.Count > 0 || cells.Any(c => c.Status == CellStatus.Failed);
        if (failed && !options.Force)
        {
            warnings.Add("not written back because the run failed (use --force to write anyway)");
            return false;
        }
        var images = await ChartImages.RenderAsync(cells.SelectMany(c => c.Outputs).OfType<DisplayOutput>().ToList(), cancellationToken);
        if (images.Warning is { } warning)
            warnings.Add(warning);
        foreach (var (cell, result) in notebook.Cells.Zip(cells))
        {
            if (cell.Json is null || result.Status is CellStatus.NotCode or CellStatus.Skipped or CellStatus.NotRun)
                continue;
            IpynbWriter.SetOutputs(cell, result.Outputs.Select(images.Apply).ToArray(), result.ExecutionCount);
        }
        IpynbWriter.EnsureNotebookMetadata(notebook);
        // A forced write of a failed run keeps the last record: a run that stopped at its failure says little of how long
        // the notebook takes.
        if (!failed)
            RecordedSeconds.Record(notebook, ran);
        try
        {
            file.Write(IpynbWriter.Serialize(notebook, VsCodeJson.DetectIndent(file.Text)));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add(e.Message);
            return false;
        }
    }
}

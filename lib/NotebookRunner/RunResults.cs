using NotebookRunner.Execution;

namespace NotebookRunner;

public enum RunMode
{
    /// <summary>Execute and report.</summary>
    Run,

    /// <summary>Execute and write the outputs back into the notebook.</summary>
    Update,

    /// <summary>Execute and compare with the stored outputs (like nbval).</summary>
    Check,
}

public enum CellStatus
{
    Passed,
    Failed,
    Skipped,

    /// <summary>Markdown and raw cells: nothing to run.</summary>
    NotCode,

    /// <summary>Not reached: an earlier cell failed or timed out, or the notebook could not run at all.</summary>
    NotRun,
}

public sealed record RunOptions
{
    public RunMode Mode { get; init; } = RunMode.Run;

    /// <summary>Write outputs back even when the notebook failed (update mode).</summary>
    public bool Force { get; init; }

    /// <summary>Run the cells after an unexpected failure too, as nbval and dotnet-repl do; by default a notebook stops at its
    /// first unexpected failure, as VS Code's Run All does (later cells would only fail on the state it did not build).</summary>
    public bool KeepGoing { get; init; }

    /// <summary>Per-cell time limit unless the cell sets its own.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Numbers in text compare equal within |a-b| &lt;= abs + rel·max(|a|,|b|), unless the notebook or cell sets a tolerance.</summary>
    public double RelativeTolerance { get; init; } = 1e-9;
    public double AbsoluteTolerance { get; init; } = 1e-12;

    /// <summary>The processors each kernel's process is told it has (<c>DOTNET_PROCESSOR_COUNT</c>, so
    /// <see cref="Environment.ProcessorCount"/> and whatever sizes its threads by it); null: all of them, or what the
    /// runner's own environment already sets.</summary>
    public int? WorkerProcessors { get; init; }

    /// <summary>Progress events (notebook and cell started/finished); called on the runner's threads.</summary>
    public Action<RunEvent>? OnEvent { get; init; }
}

public sealed record CellResult(
    int Number,
    string Kernel,
    CellStatus Status,
    string? Message,
    TimeSpan Duration,
    IReadOnlyList<CellOutput> Outputs,
    int? ExecutionCount
);

public sealed record NotebookResult(
    string Path,
    IReadOnlyList<CellResult> Cells,
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> Warnings,
    TimeSpan Duration,
    bool Written
)
{
    public bool Succeeded => Errors.Count == 0 && Cells.All(c => c.Status != CellStatus.Failed);

    /// <summary>Every failure as one line: notebook errors first, then "cell N: message".</summary>
    public IEnumerable<string> Failures =>
        Errors.Concat(
            Cells
                .Where(c => c.Status == CellStatus.Failed && !Errors.Contains($"cell {c.Number} {c.Message}"))
                .Select(c => $"cell {c.Number}: {c.Message}")
        );
}

/// <summary>The runner's loop, as events: a notebook starts, each cell starts and finishes, the notebook finishes.</summary>
public abstract record RunEvent(string NotebookPath);

public sealed record NotebookStarted(string NotebookPath, int CellCount) : RunEvent(NotebookPath);

public sealed record CellStarted(string NotebookPath, int CellNumber, DateTimeOffset At) : RunEvent(NotebookPath);

public sealed record CellFinished(string NotebookPath, CellResult Cell) : RunEvent(NotebookPath);

public sealed record NotebookFinished(string NotebookPath, NotebookResult Result) : RunEvent(NotebookPath);

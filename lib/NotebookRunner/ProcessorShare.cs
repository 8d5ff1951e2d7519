namespace NotebookRunner;

/// <summary>How many processors each kernel is told it has when several run side by side.</summary>
public static class ProcessorShare
{
    /// <summary>processors / min(jobs, notebooks), at least 1; null (every processor) when only one kernel runs at a time.
    /// A kernel that starts one thread per processor would otherwise share each core with another kernel's threads, and
    /// threads that spin at a barrier then wait for ones the scheduler has put aside.</summary>
    public static int? For(int jobs, int notebooks, int processors)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(processors, 1);
        var sideBySide = Math.Min(jobs, notebooks);
        return sideBySide <= 1 ? null : Math.Max(1, processors / sideBySide);
    }
}

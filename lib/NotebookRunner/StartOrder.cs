using System.Text.Json;
using NotebookRunner.Documents;

namespace NotebookRunner;

/// <summary>
/// The order notebooks start in when several run side by side: the longest first, by the seconds their last update recorded,
/// so a seven-minute notebook is not started last and left running alone after the others finished. Results and reports
/// stay in path order; only the start changes.
/// </summary>
public static class StartOrder
{
    /// <summary>Indices into <paramref name="paths"/> in start order. With one job the order is the path order: one job takes
    /// the same total time in any order, and in path order the report prints each notebook as it runs instead of holding
    /// the later ones behind a long one.</summary>
    public static IReadOnlyList<int> For(IReadOnlyList<string> paths, int jobs) =>
        jobs <= 1 || paths.Count <= 1 ? [.. Enumerable.Range(0, paths.Count)] : Of([.. paths.Select(Recorded)]);

    /// <summary>Indices into <paramref name="seconds"/>: those without a record first (they may be long), then descending
    /// seconds; ties keep their order (LINQ's sort is stable).</summary>
    public static IReadOnlyList<int> Of(IReadOnlyList<double?> seconds) =>
        [.. Enumerable.Range(0, seconds.Count).OrderBy(i => seconds[i] is null ? 0 : 1).ThenByDescending(i => seconds[i] ?? 0)];

    /// <summary>A notebook that cannot be read has no record: the run itself reports why, and fails fast.</summary>
    static double? Recorded(string path)
    {
        try
        {
            return RecordedSeconds.Read(NotebookReader.Read(path).Metadata);
        }
        catch (Exception e)
            when (e is IOException or JsonException or FormatException or NotSupportedException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

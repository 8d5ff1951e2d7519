using System.Text.Json;

namespace Course.Tests;

/// <summary>The course's rules for a cell, checked without running anything: a reader sees a short cell whole (at most 25
/// lines that are not blank) and every line without scrolling (at most 120 characters); progress goes through
/// <c>Progress.Show</c>, since the kernel's <c>display(x).Update(y)</c> leaves <c>x</c> on the page beside <c>y</c>.</summary>
public sealed class HygieneTests
{
    private const int MaxCellLines = 25;
    private const int MaxLineLength = 120;

    [Theory]
    [MemberData(nameof(ChapterTests.Chapters), MemberType = typeof(ChapterTests))]
    public void Every_code_cell_is_short_and_narrow(string notebook)
    {
        var problems = new List<string>();
        int number = 0;
        foreach (string source in CodeCells(Path.Combine(ChapterTests.NotebooksFolder(), notebook)))
        {
            number++;
            string[] lines = source.Split('\n');
            int counted = lines.Count(l => l.Trim().Length > 0);
            if (counted > MaxCellLines)
            {
                problems.Add($"code cell {number}: expected at most {MaxCellLines} lines, found {counted}");
            }
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length > MaxLineLength)
                {
                    problems.Add($"code cell {number}, line {i + 1}: expected at most {MaxLineLength} characters, found {lines[i].Length}");
                }
            }
            if (source.Contains(".Update(", StringComparison.Ordinal) && source.Contains("= display(", StringComparison.Ordinal))
            {
                problems.Add($"code cell {number}: updates a display(...) value; use Progress.Show(...) so the first line is replaced");
            }
        }
        Assert.True(problems.Count == 0, $"{notebook}:\n  " + string.Join("\n  ", problems));
    }

    private static IEnumerable<string> CodeCells(string path)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        foreach (JsonElement cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            if (cell.GetProperty("cell_type").GetString() != "code")
            {
                continue;
            }
            JsonElement source = cell.GetProperty("source");
            yield return source.ValueKind == JsonValueKind.Array
                ? string.Concat(source.EnumerateArray().Select(l => l.GetString()))
                : source.GetString() ?? "";
        }
    }
}

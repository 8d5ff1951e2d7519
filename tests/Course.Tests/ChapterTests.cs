using NotebookRunner;

namespace Course.Tests;

/// <summary>Every chapter executes headlessly and reproduces its stored outputs (nbval-style check mode), so a
/// library change that silently breaks a lesson, or a bug that stops reproducing, fails the build.</summary>
public sealed class ChapterTests
{
    public static TheoryData<string> Chapters()
    {
        var data = new TheoryData<string>();
        // The chapters and, in solutions/, their exercises' solutions: both are checked.
        foreach (
            string path in Directory.EnumerateFiles(NotebooksFolder(), "*.ipynb", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
        )
        {
            data.Add(Path.GetRelativePath(NotebooksFolder(), path));
        }
        return data;
    }

    [Fact]
    public void TheCourseHasItsChapters()
    {
        string[] names = Directory.EnumerateFiles(NotebooksFolder(), "*.ipynb").Select(Path.GetFileName).ToArray()!;
        foreach (string prefix in new[] { "01-", "02-", "03-", "04-", "05-", "06-", "07-", "08-", "09-", "10-", "11-", "12-", "13-" })
        {
            Assert.Contains(names, n => n.StartsWith(prefix, StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public async Task ChapterRunsAndMatchesItsStoredOutputs(string notebook)
    {
        string path = Path.Combine(NotebooksFolder(), notebook);
        NotebookResult result = await Runner.RunAsync(path, new RunOptions { Mode = RunMode.Check, CellTimeout = TimeSpan.FromMinutes(5) });
        Assert.True(result.Succeeded, $"{notebook} failed:\n{string.Join("\n", result.Failures)}");
    }

    internal static string NotebooksFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MnistNotebooks.sln")))
            {
                return Path.Combine(dir.FullName, "notebooks");
            }
        }
        throw new DirectoryNotFoundException($"No MnistNotebooks.sln above {AppContext.BaseDirectory}");
    }
}

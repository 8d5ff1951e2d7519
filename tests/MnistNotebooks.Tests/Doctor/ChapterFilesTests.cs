using System.Globalization;
using System.Text.Json;
using MnistNotebooks.Doctor;

namespace MnistNotebooks.Tests.Doctor;

/// <summary>The doctor's chapter links name the course's real notebooks: every notebook in notebooks/ is the chapter
/// of its number, with the title its first cell gives.</summary>
public sealed class ChapterFilesTests
{
    [Fact]
    public void EveryNotebookOfTheCourseIsTheChapterOfItsNumber()
    {
        string[] files = [.. Directory.EnumerateFiles(NotebooksFolder(), "*.ipynb").Select(f => Path.GetFileName(f)).Order()];
        Assert.Contains("01-data.ipynb", files);
        foreach (string file in files)
        {
            int number = int.Parse(file[..2], CultureInfo.InvariantCulture);
            Chapter chapter = Assert.Single(Chapters.All, c => c.Number == number);
            Assert.Equal(chapter.FileName, file);
        }
    }

    [Fact]
    public void EachWrittenChapterHasTheTitleTheDoctorShows()
    {
        int written = 0;
        foreach (Chapter chapter in Chapters.All)
        {
            string path = Path.Combine(NotebooksFolder(), chapter.FileName);
            if (!File.Exists(path))
            {
                continue; // not written yet
            }
            using JsonDocument notebook = JsonDocument.Parse(File.ReadAllText(path));
            string first = notebook.RootElement.GetProperty("cells")[0].GetProperty("source")[0].GetString()!.TrimEnd('\n');
            Assert.Equal($"# {chapter.Number:00} · {chapter.Title}", first);
            written++;
        }
        Assert.True(written >= 6, $"only {written} chapters found in {NotebooksFolder()}");
    }

    private static string NotebooksFolder()
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

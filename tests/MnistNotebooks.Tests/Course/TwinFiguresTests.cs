using MnistNotebooks.Course;

namespace MnistNotebooks.Tests.Course;

public sealed class TwinFiguresTests : IDisposable
{
    private const string Twin = """
        {"notebook": "02-x.ipynb", "numpy": "1.24.2", "figures": {"loss": {"value": 1.0, "rel": 1e-9},
        "step": {"value": 84}, "acc": {"value": 0.8549, "abs": 1e-4}, "curve": {"value": [2.0, "Infinity", "NaN"], "rel": 1e-9},
        "finite": {"value": true}}}
        """;

    private readonly string folder = Directory.CreateTempSubdirectory("twin-figures-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private TwinFigures Load(string text)
    {
        string path = Path.Combine(folder, "question_000.json");
        File.WriteAllText(path, "a line of progress\n" + text.ReplaceLineEndings(" ") + "\n");
        return TwinFigures.Load(path);
    }

    private static Figures Chapter(double loss = 1.0, long step = 84, double acc = 0.8549, double[]? curve = null, bool finite = true) =>
        new Figures()
            .Add("loss", loss)
            .Add("step", step)
            .Add("acc", acc)
            .Add("curve", curve ?? [2.0, double.PositiveInfinity, double.NaN])
            .Add("finite", finite);

    [Fact]
    public void ReadsTheLastJsonLine()
    {
        TwinFigures twin = Load(Twin);
        Assert.Equal("02-x.ipynb", twin.Notebook);
        Assert.Equal("1.24.2", twin.NumpyVersion);
        Assert.Equal(["loss", "step", "acc", "curve", "finite"], twin.Names);
        Assert.Equal(84, twin.Number("step"));
        Assert.Equal(double.PositiveInfinity, twin.Number("curve", 1));
        Assert.True(double.IsNaN(twin.Number("curve", 2)));
    }

    [Fact]
    public void AgreeingFiguresPass()
    {
        TwinFigures twin = Load(Twin);
        Figures chapter = Chapter(loss: 1.0 + 5e-10, acc: 0.85495);
        Assert.All(twin.Names, n => Assert.Null(twin.Mismatch(n, chapter)));
        twin.CheckAgainst(chapter);
    }

    [Fact]
    public void EachRuleCanFail()
    {
        TwinFigures twin = Load(Twin);
        Assert.Contains("relative Δ", twin.Mismatch("loss", Chapter(loss: 1.0 + 2e-9)));
        Assert.Contains("twin 84, chapter 85", twin.Mismatch("step", Chapter(step: 85)));
        Assert.Contains("|Δ|", twin.Mismatch("acc", Chapter(acc: 0.8551)));
        Assert.Contains("[2]", twin.Mismatch("curve", Chapter(curve: [2.0, double.PositiveInfinity, 3.0])));
        Assert.Contains("[1]", twin.Mismatch("curve", Chapter(curve: [2.0, double.NegativeInfinity, double.NaN])));
        Assert.Contains("3 values", twin.Mismatch("curve", Chapter(curve: [2.0])));
        Assert.Contains("twin true, chapter false", twin.Mismatch("finite", Chapter(finite: false)));
        Assert.Contains("no such figure", twin.Mismatch("loss", new Figures().Add("step", 84L)));
        var e = Assert.Throws<CheckFailedException>(() => twin.CheckAgainst(Chapter(step: 85, finite: false)));
        Assert.Contains("step:", e.Message);
        Assert.Contains("finite:", e.Message);
    }

    [Fact]
    public void BadInputNamesTheFile()
    {
        var missing = Assert.Throws<FileNotFoundException>(() => TwinFigures.Load(Path.Combine(folder, "none.json")));
        Assert.Contains("none.json", missing.Message);
        var bad = Assert.Throws<InvalidDataException>(() => Load("""{"notebook": "x", "figures": {"a": {"rel": 1}}}"""));
        Assert.Contains("question_000.json", bad.Message);
        Assert.Contains("'a'", bad.Message);
        Assert.Throws<InvalidDataException>(() => Load("no json here"));
        Assert.Throws<KeyNotFoundException>(() => Load(Twin).Number("nothing"));
        Assert.Throws<InvalidOperationException>(() => Load(Twin).Number("finite"));
    }
}

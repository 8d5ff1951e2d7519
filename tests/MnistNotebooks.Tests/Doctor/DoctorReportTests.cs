using MnistNotebooks.Doctor;

namespace MnistNotebooks.Tests.Doctor;

/// <summary>The report: order, merging, the text and HTML forms, and the chapters it links to.</summary>
public sealed class DoctorReportTests
{
    private static Finding F(string code, Severity s, string evidence = "e < 1 & 2") =>
        new(code, s, "title " + code, evidence, "fix " + code, Chapters.WrongAxis);

    private static DoctorReport Report(params Finding[] findings) =>
        new DoctorReport("m", [], [], new Dictionary<string, double>(), 10, 10, 0, TimeSpan.Zero).With(findings);

    [Fact]
    public void FindingsAreOrderedBySeverityThenCode()
    {
        DoctorReport r = Report(
            F("MN011", Severity.Info),
            F("MN009", Severity.Warning),
            F("MN018", Severity.Error),
            F("MN003", Severity.Error)
        );
        Assert.Equal("MN003 MN018 MN009 MN011", r.Codes);
        Assert.Equal("MN003", r.Top!.Code);
        Assert.False(r.Healthy);
        Assert.True(Report(F("MN011", Severity.Info)).Healthy);
        Assert.Null(Report().Top);
    }

    [Fact]
    public void ACodeFoundTwiceKeepsTheHigherSeverityAndBothEvidences()
    {
        DoctorReport r = Report(F("MN012", Severity.Warning, "now: 71%"), F("MN012", Severity.Error, "after one update: 99%"));
        Finding f = Assert.Single(r.Findings);
        Assert.Equal(Severity.Error, f.Severity);
        Assert.Equal("after one update: 99%; now: 71%", f.Evidence);
    }

    [Fact]
    public void TheTextFormHasOneLinePerFindingWithTheChapterThenEvidenceAndFix()
    {
        string[] lines = Report(F("MN003", Severity.Error)).ToString().Split('\n');
        Assert.StartsWith("Training doctor · m · 1 error, 0 warnings, 0 notes", lines[0]);
        Assert.Equal(" 1. ERROR   MN003 title MN003 → notebooks/05-wrong-axis.ipynb", lines[1]);
        Assert.Equal("             e < 1 & 2", lines[2]);
        Assert.Equal("             fix: fix MN003", lines[3]);
        Assert.Contains("nothing wrong found", Report().ToString());
    }

    [Fact]
    public void TheHtmlFormLinksTheChapterAndEscapesText()
    {
        string html = Report(F("MN003", Severity.Error)).ToHtml();
        Assert.Contains("<a href=\"05-wrong-axis.ipynb\">05 The wrong axis: everything becomes one digit</a>", html);
        Assert.Contains("e &lt; 1 &amp; 2", html);
        Assert.DoesNotContain("e < 1", html);
        Assert.Contains("href=\"notebooks/05-wrong-axis.ipynb\"", Report(F("MN003", Severity.Error)).ToHtml("notebooks/"));
    }

    [Fact]
    public void ThereAreThirteenChaptersWithTheCoursesFileNames()
    {
        Assert.Equal(
            [
                "01-data",
                "02-raw-pixels-explode",
                "03-dead-sigmoids",
                "04-softmax-overflow",
                "05-wrong-axis",
                "06-wrong-gradient",
                "07-initialization",
                "08-inside-a-run",
                "09-learning-rate-and-batch",
                "10-optimizers",
                "11-overfitting-and-regularisation",
                "12-evaluation",
                "13-ask-the-doctor",
            ],
            Chapters.All.Select(c => c.FileName.Replace(".ipynb", ""))
        );
        Assert.Equal(Enumerable.Range(1, 13), Chapters.All.Select(c => c.Number));
        Assert.Equal("notebooks/02-raw-pixels-explode.ipynb", Chapters.RawPixels.Link);
    }

    [Fact]
    public void FindingCodesAreUniqueAndNumberedInOrder()
    {
        string[] codes = [.. typeof(FindingCodes).GetFields().Select(f => (string)f.GetValue(null)!)];
        Assert.Equal(Enumerable.Range(1, codes.Length).Select(i => $"MN{i:000}"), codes.Order());
        Assert.Equal(codes.Length, codes.Distinct().Count());
    }
}

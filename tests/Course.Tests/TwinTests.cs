using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Course.Tests;

/// <summary>Each failure chapter against its Python twin: <c>tests/twins/question_NNN.py</c> runs the question's original
/// numpy code on the same MNIST files and prints the chapter's figures as JSON, each with the tolerance it must meet
/// (<c>rel</c> for a relative, <c>abs</c> for an absolute difference; booleans and strings must be equal). The chapter's
/// figures are read from its stored outputs (the <c>FIGURES {…}</c> lines its cells print), which the chapter tests keep
/// current. A twin figure the chapter does not print fails the test, and so does a stale copy of the twin's output stored
/// beside it (<c>question_NNN.json</c>, which the chapter reads to show the twin's figures beside its own) when a figure moved
/// beyond its tolerance.</summary>
public sealed class TwinTests
{
    private const string Python = "/usr/bin/python3";

    public static TheoryData<string> Twins()
    {
        var data = new TheoryData<string>();
        foreach (
            string path in Directory.EnumerateFiles(Repository.Folder("tests", "twins"), "question_*.py").Order(StringComparer.Ordinal)
        )
        {
            data.Add(Path.GetFileName(path));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Twins))]
    public void ChapterFiguresMatchTheNumpyTwin(string twin)
    {
        string? mnist = Environment.GetEnvironmentVariable("MNIST_DIR");
        Assert.False(string.IsNullOrEmpty(mnist), "MNIST_DIR must point at MNIST for the twins (.ci/run sets it)");
        Assert.True(File.Exists(Python), $"{Python} is missing: install Debian's python3-numpy (.ci/run does)");
        JsonElement result = RunTwin(Path.Combine(Repository.Folder("tests", "twins"), twin), mnist!);
        string notebook = result.GetProperty("notebook").GetString()!;
        Dictionary<string, JsonElement> ours = ChapterFigures(Path.Combine(Repository.Folder("notebooks"), notebook));
        var problems = new List<string>();
        foreach (JsonProperty figure in result.GetProperty("figures").EnumerateObject())
        {
            if (!ours.TryGetValue(figure.Name, out JsonElement chapter))
            {
                problems.Add($"{figure.Name}: the twin gives {figure.Value.GetProperty("value")}, the chapter prints no such figure");
                continue;
            }
            string? why = Compare(figure.Value, chapter);
            if (why is not null)
            {
                problems.Add($"{figure.Name}: {why}");
            }
        }
        // The chapter shows the twin's figures from the copy stored beside it: that copy must be this run's.
        string stored = Path.ChangeExtension(Path.Combine(Repository.Folder("tests", "twins"), twin), ".json");
        if (File.Exists(stored))
        {
            JsonElement kept = JsonDocument.Parse(File.ReadAllLines(stored).Last(l => l.StartsWith('{'))).RootElement;
            foreach (JsonProperty figure in result.GetProperty("figures").EnumerateObject())
            {
                // Within the figure's own tolerance: numpy's last bits move with the CPU's BLAS kernels.
                if (
                    !kept.GetProperty("figures").TryGetProperty(figure.Name, out JsonElement old)
                    || SameRule(old, figure.Value) is false
                    || Compare(figure.Value, old.GetProperty("value")) is not null
                )
                {
                    problems.Add(
                        $"{figure.Name}: {Path.GetFileName(stored)} is stale (rerun the twin into it): stored {old}, now {figure.Value}"
                    );
                }
            }
        }
        Assert.True(problems.Count == 0, $"{twin} vs {notebook}:\n  " + string.Join("\n  ", problems));
    }

    /// <summary>The FIGURES lines of every stream output of the notebook, merged in cell order.</summary>
    internal static Dictionary<string, JsonElement> ChapterFigures(string notebook)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(notebook));
        var figures = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (JsonElement cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            if (!cell.TryGetProperty("outputs", out JsonElement outputs))
            {
                continue;
            }
            foreach (JsonElement output in outputs.EnumerateArray())
            {
                foreach (string line in Text(output).Split('\n'))
                {
                    if (line.StartsWith("FIGURES ", StringComparison.Ordinal))
                    {
                        foreach (JsonProperty p in JsonDocument.Parse(line["FIGURES ".Length..]).RootElement.EnumerateObject())
                        {
                            figures[p.Name] = p.Value.Clone();
                        }
                    }
                }
            }
        }
        return figures;
    }

    /// <summary>Null when the chapter's value meets the twin's rule, else why not.</summary>
    /// <summary>Whether two figures carry the same tolerance ("rel", "abs").</summary>
    private static bool SameRule(JsonElement a, JsonElement b) =>
        new[] { "rel", "abs" }.All(k =>
            a.TryGetProperty(k, out JsonElement x) == b.TryGetProperty(k, out JsonElement y) && x.ToString() == y.ToString()
        );

    internal static string? Compare(JsonElement rule, JsonElement chapter)
    {
        JsonElement expected = rule.GetProperty("value");
        if (expected.ValueKind == JsonValueKind.Array)
        {
            if (chapter.ValueKind != JsonValueKind.Array || chapter.GetArrayLength() != expected.GetArrayLength())
            {
                return $"the twin gives {expected.GetArrayLength()} values, the chapter {chapter}";
            }
            for (int i = 0; i < expected.GetArrayLength(); i++)
            {
                string? why = CompareOne(rule, expected[i], chapter[i]);
                if (why is not null)
                {
                    return $"[{i}] {why}";
                }
            }
            return null;
        }
        return CompareOne(rule, expected, chapter);
    }

    private static string? CompareOne(JsonElement rule, JsonElement expected, JsonElement chapter)
    {
        double? a = Number(expected),
            b = Number(chapter);
        if (a is null || b is null)
        {
            return expected.ToString() == chapter.ToString() ? null : $"twin {expected}, chapter {chapter}";
        }
        double x = a.Value,
            y = b.Value;
        if (!double.IsFinite(x) || !double.IsFinite(y))
        {
            return x.Equals(y) ? null : Fmt($"twin {x}, chapter {y}");
        }
        double diff = Math.Abs(x - y);
        if (rule.TryGetProperty("abs", out JsonElement abs))
        {
            return diff <= abs.GetDouble() ? null : Fmt($"twin {x:R}, chapter {y:R}: |Δ| = {diff:G3} > {abs.GetDouble()}");
        }
        double rel = rule.TryGetProperty("rel", out JsonElement r) ? r.GetDouble() : 0;
        double scale = Math.Max(Math.Abs(x), Math.Abs(y));
        return diff <= rel * scale ? null : Fmt($"twin {x:R}, chapter {y:R}: relative Δ {diff / scale:G3} > {rel}");
    }

    /// <summary>A JSON number, or NaN/±Infinity spelt as strings; null for anything else.</summary>
    private static double? Number(JsonElement e) =>
        e.ValueKind == JsonValueKind.Number ? e.GetDouble()
        : e.ValueKind == JsonValueKind.String
        && double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
        : null;

    private static string Text(JsonElement output)
    {
        if (!output.TryGetProperty("text", out JsonElement text))
        {
            return "";
        }
        return text.ValueKind == JsonValueKind.Array
            ? string.Concat(text.EnumerateArray().Select(t => t.GetString()))
            : text.GetString() ?? "";
    }

    private static JsonElement RunTwin(string script, string mnist)
    {
        var psi = new ProcessStartInfo(Python, [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(script)!,
        };
        psi.Environment["MNIST_DIR"] = Path.GetFullPath(mnist, Repository.Folder());
        // The machine's OPENBLAS_CORETYPE=Haswell would pick another BLAS kernel than on a user's machine; leave the choice to OpenBLAS.
        psi.Environment.Remove("OPENBLAS_CORETYPE");
        psi.Environment["OPENBLAS_NUM_THREADS"] = "1";
        using var process = Process.Start(psi)!;
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => stderr.AppendLine(e.Data);
        process.BeginErrorReadLine();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{script} did not finish in 15 minutes");
        }
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{script} exited with {process.ExitCode}:\n{stderr}");
        string json = stdout.Split('\n').Last(l => l.StartsWith('{'));
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private static string Fmt(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Folders of the repository this test runs in.</summary>
internal static class Repository
{
    public static string Folder(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MnistNotebooks.sln")))
            {
                return Path.Combine([dir.FullName, .. parts]);
            }
        }
        throw new DirectoryNotFoundException($"No MnistNotebooks.sln above {AppContext.BaseDirectory}");
    }
}

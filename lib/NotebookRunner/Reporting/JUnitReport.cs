using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace NotebookRunner.Reporting;

/// <summary>JUnit XML for CI: one testsuite per notebook, one testcase per code cell, plus a case for notebook-level errors.</summary>
public static class JUnitReport
{
    /// <summary>Writes the report atomically (a temp file, then a move), so a reader never sees half of it.</summary>
    public static void Write(IReadOnlyList<NotebookResult> results, string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Build(results).Save(temp);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>XML 1.0 cannot hold most control characters (an ANSI colour's ESC, say) nor lone surrogates: shown as \xNN.</summary>
    public static string Clean(string? text)
    {
        var s = text ?? "";
        var sb = new System.Text.StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                sb.Append(s[i]).Append(s[++i]);
            else if (XmlConvert.IsXmlChar(s[i]))
                sb.Append(s[i]);
            else
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{(int)s[i]:x2}");
        }
        return sb.ToString();
    }

    public static XDocument Build(IReadOnlyList<NotebookResult> results)
    {
        static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var suites = new XElement("testsuites");
        foreach (var result in results)
        {
            var cases = result
                .Cells.Where(c => c.Status != CellStatus.NotCode)
                .Select(c =>
                {
                    var element = new XElement(
                        "testcase",
                        new XAttribute("classname", Path.GetFileName(result.Path)),
                        new XAttribute("name", $"cell {c.Number}"),
                        new XAttribute("time", Seconds(c.Duration))
                    );
                    if (c.Status == CellStatus.Failed)
                        element.Add(new XElement("failure", new XAttribute("message", Clean(c.Message ?? "failed")), Clean(c.Message)));
                    if (c.Status is CellStatus.Skipped or CellStatus.NotRun)
                        element.Add(new XElement("skipped", new XAttribute("message", Clean(c.Message))));
                    return element;
                })
                .ToList();
            if (result.Errors.Count > 0)
            {
                var message = Clean(string.Join("\n", result.Errors));
                cases.Insert(
                    0,
                    new XElement(
                        "testcase",
                        new XAttribute("classname", Path.GetFileName(result.Path)),
                        new XAttribute("name", "notebook"),
                        new XAttribute("time", "0"),
                        new XElement("failure", new XAttribute("message", Clean(result.Errors[0])), message)
                    )
                );
            }
            suites.Add(
                new XElement(
                    "testsuite",
                    new XAttribute("name", Clean(result.Path)),
                    new XAttribute("tests", cases.Count),
                    new XAttribute("failures", cases.Count(c => c.Element("failure") is not null)),
                    new XAttribute("skipped", cases.Count(c => c.Element("skipped") is not null)),
                    new XAttribute("time", Seconds(result.Duration)),
                    cases
                )
            );
        }
        return new XDocument(suites);
    }
}

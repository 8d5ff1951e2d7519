using System.Globalization;
using System.Xml.Linq;

namespace NotebookRunner.Reporting;

/// <summary>JUnit XML for CI: one testsuite per notebook, one testcase per code cell, plus a case for notebook-level errors.</summary>
public static class JUnitReport
{
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
                        element.Add(new XElement("failure", new XAttribute("message", c.Message ?? "failed"), c.Message));
                    if (c.Status is CellStatus.Skipped or CellStatus.NotRun)
                        element.Add(new XElement("skipped", new XAttribute("message", c.Message ?? "")));
                    return element;
                })
                .ToList();
            if (result.Errors.Count > 0)
            {
                var message = string.Join("\n", result.Errors);
                cases.Insert(
                    0,
                    new XElement(
                        "testcase",
                        new XAttribute("classname", Path.GetFileName(result.Path)),
                        new XAttribute("name", "notebook"),
                        new XAttribute("time", "0"),
                        new XElement("failure", new XAttribute("message", result.Errors[0]), message)
                    )
                );
            }
            suites.Add(
                new XElement(
                    "testsuite",
                    new XAttribute("name", result.Path),
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

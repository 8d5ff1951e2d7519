using System.Globalization;
using System.Net;
using System.Text;

namespace MnistNotebooks.Doctor;

/// <summary>What the doctor found, errors first (within a severity in code order: causes before their consequences),
/// with the measurements behind it and what it could not examine. <see cref="ToString"/> is the terminal form,
/// <see cref="ToHtml"/> the notebook form.</summary>
public sealed class DoctorReport
{
    internal DoctorReport(
        string subject,
        IReadOnlyList<Finding> findings,
        IReadOnlyList<string> notExamined,
        IReadOnlyDictionary<string, double> measurements,
        int samples,
        int examinedSamples,
        int probeSteps,
        TimeSpan elapsed
    )
    {
        Subject = subject;
        Findings = findings;
        NotExamined = notExamined;
        Measurements = measurements;
        Samples = samples;
        ExaminedSamples = examinedSamples;
        ProbeSteps = probeSteps;
        Elapsed = elapsed;
    }

    /// <summary>The patient's name.</summary>
    public string Subject { get; }

    /// <summary>Errors, then warnings, then notes; within each in code order.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>What could not be examined and what the patient would need to give for it.</summary>
    public IReadOnlyList<string> NotExamined { get; }

    /// <summary>The numbers measured, by name (e.g. <c>inputs.rms</c>, <c>crossEntropy</c>, <c>update.ratio.max</c>,
    /// <c>step.rho</c>; <c>.after</c> names are measured after one probe update).</summary>
    public IReadOnlyDictionary<string, double> Measurements { get; }

    /// <summary>Samples given, and how many of them the outputs were measured on.</summary>
    public int Samples { get; }

    public int ExaminedSamples { get; }

    /// <summary>Updates the probes ran on copies of the parameters.</summary>
    public int ProbeSteps { get; }

    public TimeSpan Elapsed { get; }

    /// <summary>The most important finding, or null for a clean report.</summary>
    public Finding? Top => Findings.Count > 0 ? Findings[0] : null;

    /// <summary>No error and no warning (notes allowed).</summary>
    public bool Healthy => Findings.All(f => f.Severity == Severity.Info);

    public int Count(Severity severity) => Findings.Count(f => f.Severity == severity);

    public bool Has(string code) => Findings.Any(f => f.Code == code);

    /// <summary>The finding with <paramref name="code"/>, or null.</summary>
    public Finding? this[string code] => Findings.FirstOrDefault(f => f.Code == code);

    /// <summary>The codes in report order, e.g. <c>MN005 MN009 MN011</c>.</summary>
    public string Codes => string.Join(' ', Findings.Select(f => f.Code));

    /// <summary>One line: how many of each severity and what was examined.</summary>
    public string Summary =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"Training doctor · {Subject} · {Plural(Count(Severity.Error), "error")}, {Plural(Count(Severity.Warning), "warning")}, {Plural(Count(Severity.Info), "note")} · {ExaminedSamples:#,0} of {Samples:#,0} samples, {Plural(ProbeSteps, "probe update")}, {Elapsed.TotalSeconds:0.00} s"
        );

    /// <summary>The terminal form: the summary, then each finding on one line with its evidence and fix below.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Summary).Append('\n');
        if (Findings.Count == 0)
        {
            sb.Append("  nothing wrong found\n");
        }
        for (int i = 0; i < Findings.Count; i++)
        {
            Finding f = Findings[i];
            sb.Append(CultureInfo.InvariantCulture, $"{i + 1, 2}. {f.SeverityLabel, -7} {f.Code} {f.Title} → {f.Chapter.Link}\n");
            sb.Append("             ").Append(f.Evidence).Append('\n');
            sb.Append("             fix: ").Append(f.Fix).Append('\n');
        }
        foreach (string n in NotExamined)
        {
            sb.Append("  not examined: ").Append(n).Append('\n');
        }
        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>The notebook form: a table of findings with the chapter as a link. Links are relative to
    /// <paramref name="linkBase"/>: "" for a notebook in <c>notebooks/</c> (the default), <c>notebooks/</c> from the
    /// repository root.</summary>
    public string ToHtml(string linkBase = "")
    {
        ArgumentNullException.ThrowIfNull(linkBase);
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder("<div class=\"mn-doctor\">");
        html.Append("<p><b>").Append(E(Summary)).Append("</b></p>");
        if (Findings.Count > 0)
        {
            html.Append(
                "<table><thead><tr><th>#</th><th>severity</th><th>code</th><th>finding and evidence</th><th>fix</th><th>chapter</th></tr></thead><tbody>"
            );
            for (int i = 0; i < Findings.Count; i++)
            {
                Finding f = Findings[i];
                string color = f.Severity switch
                {
                    Severity.Error => "#c62828",
                    Severity.Warning => "#ef6c00",
                    _ => "#1565c0",
                };
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{i + 1}</td>")
                    .Append("<td style=\"color:")
                    .Append(color)
                    .Append(";font-weight:bold\">")
                    .Append(f.SeverityLabel)
                    .Append("</td>")
                    .Append("<td><code>")
                    .Append(f.Code)
                    .Append("</code></td>")
                    .Append("<td>")
                    .Append(E(f.Title))
                    .Append("<br><small>")
                    .Append(E(f.Evidence))
                    .Append("</small></td>")
                    .Append("<td>")
                    .Append(E(f.Fix))
                    .Append("</td>")
                    .Append("<td><a href=\"")
                    .Append(E(linkBase + f.Chapter.FileName))
                    .Append("\">")
                    .Append(E(f.Chapter.Label))
                    .Append("</a></td></tr>");
            }
            html.Append("</tbody></table>");
        }
        else
        {
            html.Append("<p>Nothing wrong found.</p>");
        }
        if (NotExamined.Count > 0)
        {
            html.Append("<p><small>Not examined: ").Append(E(string.Join("; ", NotExamined))).Append("</small></p>");
        }
        return html.Append("</div>").ToString();
    }

    /// <summary>This report with <paramref name="more"/> findings (e.g. from watching a run) merged in by code.</summary>
    public DoctorReport With(IEnumerable<Finding> more, string? subject = null)
    {
        var list = new FindingList();
        foreach (Finding f in Findings.Concat(more))
        {
            list.Add(f);
        }
        return new DoctorReport(
            subject ?? Subject,
            list.Ordered(),
            NotExamined,
            Measurements,
            Samples,
            ExaminedSamples,
            ProbeSteps,
            Elapsed
        );
    }

    private static string Plural(int n, string word) => string.Create(CultureInfo.InvariantCulture, $"{n} {word}{(n == 1 ? "" : "s")}");
}

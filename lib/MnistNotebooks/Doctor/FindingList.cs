namespace MnistNotebooks.Doctor;

/// <summary>Findings by code: a code found twice (now and after a probe step) keeps the higher severity and both
/// pieces of evidence.</summary>
internal sealed class FindingList
{
    private readonly Dictionary<string, Finding> byCode = new(StringComparer.Ordinal);

    public bool Has(string code) => byCode.ContainsKey(code);

    public Finding? this[string code] => byCode.GetValueOrDefault(code);

    public void Add(Finding finding)
    {
        if (!byCode.TryGetValue(finding.Code, out Finding? old))
        {
            byCode[finding.Code] = finding;
            return;
        }
        Finding keep = finding.Severity > old.Severity ? finding : old;
        Finding other = ReferenceEquals(keep, finding) ? old : finding;
        byCode[finding.Code] = keep with { Evidence = keep.Evidence + "; " + other.Evidence };
    }

    public void Add(string code, Severity severity, Chapter chapter, string title, string evidence, string fix) =>
        Add(new Finding(code, severity, title, evidence, fix, chapter));

    /// <summary>Errors first, then warnings, then notes; within a severity in code (causal) order.</summary>
    public IReadOnlyList<Finding> Ordered() =>
        [.. byCode.Values.OrderByDescending(f => f.Severity).ThenBy(f => f.Code, StringComparer.Ordinal)];
}

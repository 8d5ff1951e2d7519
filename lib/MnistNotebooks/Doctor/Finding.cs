namespace MnistNotebooks.Doctor;

/// <summary>One thing the doctor found: a stable <see cref="Code"/> (<c>MN001</c>…), how much it matters, the numbers
/// that show it, the fix in one line and the chapter that teaches it.</summary>
/// <param name="Code">Stable across versions; see <see cref="FindingCodes"/>.</param>
/// <param name="Severity">Error, warning or note.</param>
/// <param name="Title">One line: what is wrong.</param>
/// <param name="Evidence">The measured numbers, one line.</param>
/// <param name="Fix">What to change, one line.</param>
/// <param name="Chapter">The chapter notebook that teaches the cause and the fix.</param>
public sealed record Finding(string Code, Severity Severity, string Title, string Evidence, string Fix, Chapter Chapter)
{
    /// <summary><c>ERROR</c>, <c>WARNING</c> or <c>NOTE</c>.</summary>
    public string SeverityLabel =>
        Severity switch
        {
            Severity.Error => "ERROR",
            Severity.Warning => "WARNING",
            _ => "NOTE",
        };

    /// <summary>e.g. <c>ERROR MN005 Softmax overflows … (notebooks/04-softmax-overflow.ipynb)</c>, then the evidence and the fix.</summary>
    public override string ToString() => $"{SeverityLabel} {Code} {Title} ({Chapter.Link})\n  evidence: {Evidence}\n  fix: {Fix}";
}

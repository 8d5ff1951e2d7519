namespace MnistNotebooks.Doctor;

/// <summary>How much a finding matters; a report lists errors first.</summary>
public enum Severity
{
    /// <summary>Worth knowing, not wrong: e.g. a gradient summed over the batch with a learning rate that suits it.</summary>
    Info,

    /// <summary>Likely to slow or spoil training.</summary>
    Warning,

    /// <summary>Training cannot work as written: it diverges, produces NaN, or learns the wrong thing.</summary>
    Error,
}

using System.Globalization;

namespace MnistNotebooks.GradientChecking;

/// <summary>One tensor's gradient check: the largest absolute and relative error between the analytic gradient a
/// and the numeric one n over the checked entries, and the entry with the largest relative error.</summary>
public sealed record TensorCheck(
    string Name,
    int Rows,
    int Cols,
    int Checked,
    double MaxAbsoluteError,
    double MaxRelativeError,
    int WorstIndex,
    double WorstAnalytic,
    double WorstNumeric,
    bool Passed
)
{
    /// <summary>The shape as text, e.g. <c>(784, 300)</c>.</summary>
    public string Shape => string.Create(CultureInfo.InvariantCulture, $"({Rows}, {Cols})");

    /// <summary>E.g. <c>dense1.W (784, 300) | max abs 3.1e-06 | max rel 2.0e-04 | OK</c>.</summary>
    public override string ToString() => Format(0);

    internal string Label => $"{Name} {Shape}";

    internal string Format(int labelWidth) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{Label.PadRight(labelWidth)} | max abs {MaxAbsoluteError:0.0e+00} | max rel {MaxRelativeError:0.0e+00} | {(Passed ? "OK" : "FAIL")}"
        );
}

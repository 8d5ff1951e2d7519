using System.Globalization;
using System.Numerics;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;

namespace MnistNotebooks.Diagnostics;

/// <summary>The result of the initial-loss check: a network that knows nothing should predict 1/classes for every
/// class, so its cross-entropy is ln(classes) (2.302585 for 10).</summary>
public sealed record InitialLossResult(double Measured, double Expected, double Tolerance, int Classes)
{
    /// <summary>|Measured − Expected| ≤ Tolerance (false for a NaN or infinite loss).</summary>
    public bool Passed => Math.Abs(Measured - Expected) <= Tolerance;

    /// <summary>One readable line, e.g. <c>initial loss 2.3107, expected ln(10) = 2.3026 ± 0.1: OK</c>.</summary>
    public string Message =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"initial loss {Measured:0.0000}, expected ln({Classes}) = {Expected:0.0000} ± {Tolerance}: {(Passed ? "OK" : $"FAIL (off by {Measured - Expected:+0.0000;-0.0000})")}"
        );

    public override string ToString() => Message;
}

/// <summary>The initial-loss check: measure the loss before any training and compare it with ln(classes).</summary>
public static class InitialLossCheck
{
    /// <summary>The default tolerance: an absolute ±0.1 around ln(classes).</summary>
    public const double DefaultTolerance = 0.1;

    /// <summary>Checks a loss already measured.</summary>
    public static InitialLossResult Of(double measuredLoss, int classes = 10, double tolerance = DefaultTolerance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        return new InitialLossResult(measuredLoss, Math.Log(classes), tolerance, classes);
    }

    /// <summary>Runs <paramref name="model"/> on <paramref name="x"/> (no training), measures <paramref name="loss"/>
    /// and checks it against ln(number of output columns).</summary>
    public static InitialLossResult Run<T>(
        Layer<T> model,
        ILoss<T> loss,
        Matrix<T> x,
        ReadOnlySpan<int> labels,
        double tolerance = DefaultTolerance
    )
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        Matrix<T> output = model.Forward(x);
        return Of(double.CreateTruncating(loss.Forward(output, labels)), output.Cols, tolerance);
    }
}

using System.Globalization;

namespace MnistNotebooks.Course;

/// <summary>What every chapter's cells use, after <c>using static MnistNotebooks.Course.Notebook;</c>: checks that fail
/// the cell (and so the run) when a claim stops holding, and invariant number formatting.</summary>
public static class Notebook
{
    /// <summary>Prints <c>✓ what</c>, or throws <see cref="CheckFailedException"/> naming the claim.</summary>
    public static void Check(bool ok, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(what);
        if (!ok)
        {
            throw new CheckFailedException($"Check failed: {what}");
        }
        Console.WriteLine("✓ " + what);
    }

    /// <summary>Checks low ≤ measured ≤ high and prints the measured value beside the claim: <c>✓ what: 0.9357 in [0.93, 0.94]</c>.</summary>
    public static void CheckBetween(double measured, double low, double high, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(what);
        string line = string.Create(CultureInfo.InvariantCulture, $"{what}: {F(measured)} in [{F(low)}, {F(high)}]");
        if (!(measured >= low && measured <= high))
        {
            throw new CheckFailedException($"Check failed: {line}");
        }
        Console.WriteLine("✓ " + line);
    }

    /// <summary>Checks |measured − expected| ≤ tolerance (absolute) and prints both.</summary>
    public static void CheckNear(double measured, double expected, double tolerance, string what) =>
        CheckBetween(measured, expected - tolerance, expected + tolerance, what);

    /// <summary>The number in the invariant culture, e.g. <c>F(0.93571)</c> is <c>0.9357</c>, <c>F(x, "E2")</c> <c>9.36E-001</c>.</summary>
    public static string F(double value, string format = "G4") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A fraction as a percentage in the invariant culture: <c>Pct(0.9357)</c> is <c>93.57 %</c>.</summary>
    public static string Pct(double fraction, int decimals = 2) => fraction.ToString("P" + decimals, CultureInfo.InvariantCulture);
}

/// <summary>A chapter's claim no longer holds.</summary>
public sealed class CheckFailedException(string message) : Exception(message);

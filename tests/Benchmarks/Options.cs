using System.Globalization;

namespace Benchmarks;

/// <summary>Command-line options; see Program.cs for the command.</summary>
internal sealed record Options
{
    public bool Quick { get; private init; }
    public bool Peers { get; private init; }
    public bool Paths { get; private init; }
    public bool Train { get; private init; } = true;
    public bool Machine { get; private init; }
    public bool Profile { get; private init; }
    public bool Help { get; private init; }
    public int[] Threads { get; private init; } = [1, 2];
    public string[] Precisions { get; private init; } = ["float32", "float64"];
    public int Epochs { get; private init; } = 3;
    public string? Out { get; private init; }

    /// <summary>The networks --profile takes apart, layer sizes from input to output (--nets 784-300-10,784-800-800-10).</summary>
    public int[][] Nets { get; private init; } = [TrainingBenchmark.Small, TrainingBenchmark.Deep];

    /// <summary>Reads the command line; a bad option or value is an <see cref="ArgumentException"/> that names the
    /// option, what it expects and what it found.</summary>
    public static Options Parse(string[] args)
    {
        var o = new Options();
        bool epochsGiven = false,
            netsGiven = false;
        for (int i = 0; i < args.Length; i++)
        {
            string option = args[i];
            string Next() =>
                i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                    ? args[++i]
                    : throw new ArgumentException(
                        $"{option}: expected a value after it, found {(i + 1 < args.Length ? args[i + 1] : "the end of the command")}"
                    );
            o = option switch
            {
                "--quick" => o with { Quick = true },
                "--peers" => o with { Peers = true },
                "--paths" => o with { Paths = true },
                "--no-train" => o with { Train = false },
                "--machine" => o with { Machine = true },
                "--profile" => o with { Profile = true },
                "--help" or "-h" => o with { Help = true },
                "--threads" => o with { Threads = ParseCounts(option, Next(), "thread counts such as 1,2") },
                "--precisions" => o with { Precisions = ParsePrecisions(Next()) },
                "--epochs" => o with { Epochs = ParseCounts(option, Next(), "one number of epochs such as 3", single: true)[0] },
                "--out" => o with { Out = Next() },
                "--nets" => o with { Nets = ParseNets(Next()) },
                _ => throw new ArgumentException($"Unknown option {option}; try --help"),
            };
            epochsGiven |= option == "--epochs";
            netsGiven |= option == "--nets";
        }
        if (netsGiven && !o.Profile)
        {
            throw new ArgumentException(
                "--nets: applies to --profile only (the training benchmark always runs 784-300-10 and 784-512-256-128-64-10); add --profile"
            );
        }
        return o.Quick && !epochsGiven ? o with { Epochs = 1 } : o;
    }

    /// <summary>"1,2": whole numbers ≥ 1, each once (one only when <paramref name="single"/>).</summary>
    internal static int[] ParseCounts(string option, string value, string expected, bool single = false)
    {
        string[] parts = value.Split(',');
        int[] counts = parts.Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0).ToArray();
        return counts.All(n => n >= 1) && counts.Distinct().Count() == counts.Length && (!single || counts.Length == 1)
            ? counts
            : throw new ArgumentException(
                $"{option}: expected {expected} (whole numbers ≥ 1{(single ? "" : ", separated by commas, each once")}), found \"{value}\""
            );
    }

    /// <summary>"float32,float64": each of the two once.</summary>
    internal static string[] ParsePrecisions(string value)
    {
        string[] parts = value.Split(',');
        return parts.All(p => p is "float32" or "float64") && parts.Distinct().Count() == parts.Length
            ? parts
            : throw new ArgumentException($"--precisions: expected float32, float64 or float32,float64, found \"{value}\"");
    }

    /// <summary>"784-300-10,784-800-800-10": each network from the 784 pixels to its outputs, every size ≥ 1.</summary>
    internal static int[][] ParseNets(string value) =>
        value
            .Split(',')
            .Select(net =>
            {
                int[] sizes = net.Split('-')
                    .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0)
                    .ToArray();
                return sizes.Length >= 2 && sizes[0] == 784 && sizes.All(n => n >= 1)
                    ? sizes
                    : throw new ArgumentException(
                        $"--nets: expected layer sizes such as 784-300-10 (from the 784 pixels, at least two sizes, each a whole number ≥ 1), found \"{net}\""
                    );
            })
            .ToArray();
}

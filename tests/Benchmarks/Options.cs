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

    public static Options Parse(string[] args)
    {
        var o = new Options();
        bool epochsGiven = false;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Expected a value after {args[i]}");
            o = args[i] switch
            {
                "--quick" => o with { Quick = true },
                "--peers" => o with { Peers = true },
                "--paths" => o with { Paths = true },
                "--no-train" => o with { Train = false },
                "--machine" => o with { Machine = true },
                "--profile" => o with { Profile = true },
                "--help" or "-h" => o with { Help = true },
                "--threads" => o with { Threads = Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() },
                "--precisions" => o with { Precisions = Next().Split(',') },
                "--epochs" => o with { Epochs = Math.Max(1, int.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--out" => o with { Out = Next() },
                "--nets" => o with { Nets = ParseNets(Next()) },
                _ => throw new ArgumentException($"Unknown option {args[i]}; try --help"),
            };
            epochsGiven |= args[i - (args[i].StartsWith("--", StringComparison.Ordinal) ? 0 : 1)] == "--epochs";
        }
        return o.Quick && !epochsGiven ? o with { Epochs = 1 } : o;
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

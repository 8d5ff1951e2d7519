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
                _ => throw new ArgumentException($"Unknown option {args[i]}; try --help"),
            };
            epochsGiven |= args[i - (args[i].StartsWith("--", StringComparison.Ordinal) ? 0 : 1)] == "--epochs";
        }
        return o.Quick && !epochsGiven ? o with { Epochs = 1 } : o;
    }
}

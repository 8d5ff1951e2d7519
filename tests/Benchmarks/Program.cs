using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using System.Text;
using Benchmarks;
using MnistNotebooks;
using MnistNotebooks.Data;

// Speed of the library against its peers, in one run (issue 5):
//   dotnet run -c Release --project tests/Benchmarks -- [--quick] [--peers] [--paths] [--threads 1,2] [--precisions float32,float64] [--epochs 3] [--no-train] [--out out/bench.md] [--profile [--nets 784-300-10,...]]
// GEMM GFLOP/s in float32 and float64 at the MLP shapes and 1024³, seconds per MNIST epoch (784-300-10 and 784-512-256-128-64-10, Adam),
// bytes allocated per training step, and with --peers numpy/PyTorch measured in the same run, interleaved with ours.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

Options opts;
try
{
    opts = Options.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
if (opts.Help)
{
    Console.WriteLine(
        "dotnet run -c Release --project tests/Benchmarks -- [--quick] [--peers] [--paths] [--threads 1,2] [--precisions float32,float64] [--epochs N] [--no-train] [--out FILE] [--profile [--nets 784-300-10,784-800-800-10]]"
    );
    return 0;
}
int reps = opts.Quick ? 3 : 7;
double minSeconds = opts.Quick ? 0.03 : 0.08;

if (opts.Machine)
{
    // Child mode for --paths: the path the JIT really took, then GEMM figures, one parsable line each.
    Console.WriteLine($"PATH|{VectorPath()}");
    foreach (int t in opts.Threads)
    {
        foreach (GemmShape s in GemmShape.All)
        {
            Console.WriteLine($"GEMM|{s.Kind}|{s.M}|{s.K}|{s.N}|{t}|{GemmBenchmark.Measure(s, "float32", t, reps, minSeconds):F2}");
        }
    }
    return 0;
}

string? root = Mnist.FindRepositoryRoot(AppContext.BaseDirectory) ?? Mnist.FindRepositoryRoot(Environment.CurrentDirectory);
var md = new StringBuilder();
void Say(string line = "")
{
    Console.WriteLine(line);
    md.AppendLine(line);
}

string path = VectorPath();
Say($"# Benchmarks ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
Say();
Say($"- command: `dotnet run -c Release --project tests/Benchmarks -- {string.Join(' ', args)}`");
Say($"- .NET {Environment.Version}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
Say(
    $"- vector path: {path} (Vector512 {Vector512.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}, Vector128 {Vector128.IsHardwareAccelerated}); "
        + "the other paths: pass --paths, or run with DOTNET_EnableAVX512=0 (256-bit; .NET 8/9 read DOTNET_EnableAVX512F=0) or DOTNET_EnableAVX2=0 (128-bit)"
);
Say(
    $"- GEMM: median of {reps} timed batches of ≥ {minSeconds} s; training: median of {opts.Epochs} epochs after one warm-up epoch; "
        + "the machine may be shared, so ours and the peers run interleaved: compare ratios"
);

if (opts.Profile)
{
    MnistData profiled = Mnist.Load(Environment.GetEnvironmentVariable(Mnist.EnvironmentVariable));
    Matrix<float> px = profiled.Train.ScaledPixels();
    Say();
    Say(
        $"## Where a training step's time goes (Adam, batch 128; ms per step, mean of {StepProfile.Steps / 2} steps, alternating with {StepProfile.Steps / 2} that run each phase twice, after {StepProfile.Warmup} and a first unrecorded pass)"
    );
    foreach (int[] sizes in opts.Nets)
    {
        (List<StepProfile.Phase> phases, List<StepProfile.StartDelay> startDelays) = StepProfile.Run(
            sizes,
            opts.Threads,
            px,
            profiled.Train.Labels
        );
        double[] totals = opts.Threads.Select((_, j) => phases.Sum(p => p.MillisecondsPerStep[j])).ToArray();
        double[] againTotals = opts.Threads.Select((_, j) => phases.Sum(p => p.MillisecondsAgain[j])).ToArray();
        var prow = phases
            .Select(p =>
                (string[])
                    [
                        p.Name,
                        .. p.MillisecondsPerStep.Select(F3),
                        .. p.MillisecondsAgain.Select(F3),
                        Ratio(p.MillisecondsPerStep[0], p.MillisecondsPerStep[^1]),
                        (p.MillisecondsPerStep[0] / totals[0]).ToString("P1", CultureInfo.InvariantCulture),
                    ]
            )
            .ToList();
        prow.Add(["**step**", .. totals.Select(F3), .. againTotals.Select(F3), Ratio(totals[0], totals[^1]), "100 %"]);
        Say();
        Say($"### {string.Join('-', sizes)}");
        Say();
        Table(
            [
                "phase",
                .. opts.Threads.Select(t => $"in the step, {t} thread(s)"),
                .. opts.Threads.Select(t => $"run again, {t} thread(s)"),
                $"speed-up {opts.Threads[0]}→{opts.Threads[^1]}",
                "share",
            ],
            prow
        );
        // The floor as in the training table: the step's multiply-adds at the FMA peak, measured here after the steps.
        double stepFlops = TrainingBenchmark.EpochFlops(sizes, 128);
        double[] floors = opts.Threads.Select(t => stepFlops / (FmaPeak.Measure(t) * 1e9) * 1e3).ToArray();
        Say();
        Say(
            "Run again: the phase run a second time right after itself, on the same operands, its data hot in cache (in every "
                + "other step, interleaved with the steps timed as they are). "
                + "FMA floor of a step (its multiply-adds at the float32 FMA peak measured after the steps): "
                + string.Join(
                    "; ",
                    opts.Threads.Select(
                        (t, j) =>
                            $"{F3(floors[j])} ms on {t} thread(s), the step {Ratio(totals[j], floors[j])}× it, its phases run again {Ratio(againTotals[j], floors[j])}×"
                    )
                )
                + "."
        );
        foreach (StepProfile.StartDelay d in startDelays)
        {
            Say();
            Say(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"A parallel block's wait to start at {d.Threads} threads (a chunk posted between steps, {d.Probes} probes): median {d.MedianMicroseconds:F1} µs, 90th percentile {d.P90Microseconds:F1} µs, longest {d.MaxMicroseconds:F1} µs; no worker within 2 ms in {d.Missed}."
                )
            );
        }
    }
    string profileOut = opts.Out ?? Path.Combine(root ?? Environment.CurrentDirectory, "out", "profile.md");
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(profileOut))!);
    File.WriteAllText(profileOut, md.ToString());
    Console.WriteLine($"written {profileOut}");
    return 0;
}

var peak = opts.Threads.ToDictionary(t => t, t => FmaPeak.Measure(t));
Say(
    $"- float32 FMA peak (FmaPeak.cs: 10 independent FMA chains per thread, {path}, the best of 5 runs): "
        + string.Join(", ", opts.Threads.Select(t => $"{F1(peak[t])} GFLOP/s on {t} thread(s)"))
        + "; the FMA floor of an epoch is its multiply-adds at this peak or at the one measured again after training, whichever is higher"
);

Peers? peers = null;
if (opts.Peers)
{
    peers = Peers.Locate(root, out string note);
    Say($"- {note}");
}
else
{
    Say("- peers not run (pass --peers)");
}
Say();

// GEMM: ours and numpy, per precision and thread count, interleaved.
var rows = new List<string[]>();
foreach (string precision in opts.Precisions)
{
    foreach (int t in opts.Threads)
    {
        var ours = GemmShape.All.ToDictionary(s => s, s => GemmBenchmark.Measure(s, precision, t, reps, minSeconds));
        var numpy = peers?.Gemm(precision, t, reps, minSeconds) ?? [];
        foreach (GemmShape s in GemmShape.All)
        {
            double peer = numpy.TryGetValue((s.Kind, s.M, s.K, s.N), out double g) ? g : double.NaN;
            double ofPeak = ours[s] / peak[t] * (precision == "float64" ? 2 : 1);
            rows.Add([
                $"GEMM GFLOP/s {s.Label}",
                precision,
                t.ToString(),
                F1(ours[s]),
                ofPeak.ToString("P0", CultureInfo.InvariantCulture),
                F1(peer),
                Ratio(ours[s], peer),
                "≥ 0.9",
            ]);
        }
    }
}
Say(
    "## GEMM (ours: MatMul, checked against its reference loop before timing; peer: numpy/OpenBLAS sgemm or dgemm; of peak: against the FMA peak, halved for float64)"
);
Say();
Table(["figure", "precision", "threads", "ours", "of peak", "peer", "ours/peer", "target"], rows);

if (opts.Train)
{
    string? dir = Environment.GetEnvironmentVariable(Mnist.EnvironmentVariable);
    if (string.IsNullOrEmpty(dir) && peers is not null && Directory.Exists(Path.Combine(peers.Directory, "..", "data", "mnist")))
    {
        dir = Path.GetFullPath(Path.Combine(peers.Directory, "..", "data", "mnist"));
    }
    MnistData data = Mnist.Load(dir);
    Matrix<float> trainX = data.Train.ScaledPixels(),
        testX = data.Test.ScaledPixels();
    var train = new List<string[]>();
    var alloc = new List<string[]>();
    var epochSeconds = new Dictionary<(string, int), double>();
    var trained = new List<(string Name, int[] Sizes, int Threads, TrainingResult Ours, PeerTraining? Torch, PeerTraining? Numpy)>();
    (string Arch, int[] Sizes)[] nets = [("small", TrainingBenchmark.Small), ("deep", TrainingBenchmark.Deep)];
    foreach ((string arch, int[] sizes) in nets)
    {
        string name = string.Join('-', sizes);
        foreach (int t in opts.Threads)
        {
            TrainingResult ours = TrainingBenchmark.Run(sizes, t, opts.Epochs, trainX, data.Train.Labels, testX, data.Test.Labels);
            Console.WriteLine(
                $"  ours  {name} t={t}: {ours.SecondsPerEpoch:F3} s/epoch [{string.Join(", ", ours.Epochs.Select(F3))}], test acc {ours.TestAccuracy:P2}, foreign {ours.ForeignCores:F2} cores"
            );
            PeerTraining? torch = peers?.Train("torch", arch, t, opts.Epochs + 1);
            PeerTraining? numpy = peers?.Train("numpy", arch, t, opts.Epochs + 1);
            if (torch is not null)
            {
                Console.WriteLine(
                    $"  torch {name} t={t}: {torch.SecondsPerEpoch:F3} s/epoch, test acc {torch.TestAccuracy:P2}, foreign {torch.ForeignCores:F2} cores"
                );
            }
            if (numpy is not null)
            {
                Console.WriteLine($"  numpy {name} t={t}: {numpy.SecondsPerEpoch:F3} s/epoch, test acc {numpy.TestAccuracy:P2}");
            }
            epochSeconds[(name, t)] = ours.SecondsPerEpoch;
            trained.Add((name, sizes, t, ours, torch, numpy));
            alloc.Add([name, t.ToString(), F1(ours.BytesPerStep), F1(ours.ThreadBytesPerStep)]);
        }
    }
    // The peak again after training: a shared machine only ever slows a peak run, so the floors use the higher of the
    // two (a peak measured in a busy moment would make every epoch look closer to its floor than it is).
    var peakAfter = opts.Threads.ToDictionary(t => t, t => FmaPeak.Measure(t));
    foreach ((string name, int[] sizes, int t, TrainingResult ours, PeerTraining? torch, PeerTraining? numpy) in trained)
    {
        double tp = torch?.SecondsPerEpoch ?? double.NaN,
            np = numpy?.SecondsPerEpoch ?? double.NaN;
        double best =
            double.IsNaN(tp) ? np
            : double.IsNaN(np) ? tp
            : Math.Min(tp, np);
        double floor = TrainingBenchmark.EpochFlops(sizes, trainX.Rows) / (Math.Max(peak[t], peakAfter[t]) * 1e9);
        train.Add([
            $"s/epoch {name} Adam",
            t.ToString(),
            F3(ours.SecondsPerEpoch),
            F3(tp),
            F3(np),
            Ratio(ours.SecondsPerEpoch, best),
            "≤ 0.8",
            F3(floor),
            Ratio(ours.SecondsPerEpoch, floor),
            t == 1 ? "≤ 1.4" : "",
            $"{F1(ours.ForeignCores)} / {F1(torch?.ForeignCores ?? double.NaN)}",
            $"{ours.TestAccuracy:P2} / {(torch is null ? "–" : torch.TestAccuracy.ToString("P2", CultureInfo.InvariantCulture))}",
        ]);
    }
    Say();
    Say(
        $"## Training, full MNIST, batch 128, Adam lr 1e-3 (ours: Trainer; peers: torch_mlp.py, numpy_mlp.py; {opts.Epochs} epochs after a warm-up)"
    );
    Say();
    Table(
        [
            "figure",
            "threads",
            "ours",
            "torch",
            "numpy",
            "ours/best peer",
            "target",
            "FMA floor",
            "ours/floor",
            "target",
            "foreign cores ours / torch",
            "test acc ours / torch",
        ],
        train
    );
    Say();
    Say(
        "The FMA floors use the higher of the peak measured at the start and the one measured again after training: "
            + string.Join(", ", opts.Threads.Select(t => $"{F1(peakAfter[t])} GFLOP/s on {t} thread(s) after training"))
            + "."
    );
    if (opts.Threads.Length > 1)
    {
        int t0 = opts.Threads[0],
            t1 = opts.Threads[^1];
        var interleaved = new Dictionary<string, (double Low, double High)>();
        foreach ((_, int[] sizes) in nets)
        {
            interleaved[string.Join('-', sizes)] = TrainingBenchmark.InterleavedStepMilliseconds(
                sizes,
                (t0, t1),
                trainX,
                data.Train.Labels
            );
        }
        Say();
        Say($"## Speed-up of training from {t0} to {t1} threads (ours)");
        Say();
        Table(
            [
                "network",
                $"s/epoch at {t0}",
                $"s/epoch at {t1}",
                "speed-up",
                $"ms/step at {t0}, interleaved",
                $"ms/step at {t1}, interleaved",
                "speed-up, interleaved",
                "target",
            ],
            [
                .. epochSeconds
                    .Keys.Select(k => k.Item1)
                    .Distinct()
                    .Select(n =>
                        (string[])
                            [
                                n,
                                F3(epochSeconds[(n, t0)]),
                                F3(epochSeconds[(n, t1)]),
                                Ratio(epochSeconds[(n, t0)], epochSeconds[(n, t1)]),
                                F3(interleaved[n].Low),
                                F3(interleaved[n].High),
                                Ratio(interleaved[n].Low, interleaved[n].High),
                                "≥ 1.7",
                            ]
                    ),
            ]
        );
        Say();
        Say(
            $"Interleaved: one more run of the Trainer per network (a warm-up epoch and {TrainingBenchmark.InterleavedEpochs} timed), "
                + $"its thread count switched between {t0} and {t1} every {TrainingBenchmark.SwitchEvery} steps, each step timed "
                + $"(not the {TrainingBenchmark.SettleSteps} after a switch or an epoch's start): the "
                + "machine's drift over seconds then moves both figures alike, where the epochs above at each thread count ran "
                + "minutes apart."
        );
    }
    Say();
    Say("## Allocation per training step after the first (epoch 2; GC.GetTotalAllocatedBytes(true) / GetAllocatedBytesForCurrentThread)");
    Say();
    Table(["model", "threads", "bytes/step (all threads)", "bytes/step (this thread)"], alloc);
}

if (opts.Paths)
{
    Say();
    Say("## GEMM GFLOP/s by vector path (ours, float32; child processes with AVX-512, then AVX2, switched off)");
    Say();
    Say(
        "Switches: DOTNET_EnableAVX512F=0 and DOTNET_EnableAVX512=0 (.NET 10 ignores the first), then also DOTNET_EnableAVX2=0. Each column is headed by the path its child reported."
    );
    Say();
    (string Path, Dictionary<(string, int, int, int, int), double> Figures)[] children =
    [
        RunChild([], opts, reps),
        RunChild([("DOTNET_EnableAVX512F", "0"), ("DOTNET_EnableAVX512", "0")], opts, reps),
        RunChild([("DOTNET_EnableAVX512F", "0"), ("DOTNET_EnableAVX512", "0"), ("DOTNET_EnableAVX2", "0")], opts, reps),
    ];
    var byPath = children.Select(c => c.Figures).ToList();
    var pathRows = new List<string[]>();
    foreach (int t in opts.Threads)
    {
        foreach (GemmShape s in GemmShape.All)
        {
            var key = (s.Kind, s.M, s.K, s.N, t);
            pathRows.Add([s.Label, t.ToString(), .. byPath.Select(d => F1(d.TryGetValue(key, out double g) ? g : double.NaN))]);
        }
    }
    Table(
        ["shape", "threads", $"default: {children[0].Path}", $"AVX-512 off: {children[1].Path}", $"AVX2 off: {children[2].Path}"],
        pathRows
    );
}

string outFile = opts.Out ?? Path.Combine(root ?? Environment.CurrentDirectory, "out", "bench.md");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
File.WriteAllText(outFile, md.ToString());
Console.WriteLine();
Console.WriteLine($"written {outFile}");
return 0;

void Table(string[] header, List<string[]> body)
{
    Say("| " + string.Join(" | ", header) + " |");
    Say("|" + string.Concat(header.Select(_ => "---|")));
    foreach (string[] r in body)
    {
        Say("| " + string.Join(" | ", r) + " |");
    }
}

static string F1(double x) => double.IsNaN(x) ? "–" : x.ToString("F1", CultureInfo.InvariantCulture);
static string F3(double x) => double.IsNaN(x) ? "–" : x.ToString("F3", CultureInfo.InvariantCulture);
static string Ratio(double ours, double peer) =>
    double.IsNaN(ours) || double.IsNaN(peer) ? "–" : (ours / peer).ToString("F2", CultureInfo.InvariantCulture);

static string VectorPath() =>
    Vector512.IsHardwareAccelerated ? "Vector512 (AVX-512)"
    : Vector256.IsHardwareAccelerated ? "Vector256 (AVX2)"
    : Vector128.IsHardwareAccelerated ? "Vector128"
    : "scalar";

static (string Path, Dictionary<(string, int, int, int, int), double> Figures) RunChild(
    (string Name, string Value)[] env,
    Options opts,
    int reps
)
{
    var result = new Dictionary<(string, int, int, int, int), double>();
    string childPath = "?";
    string exe = Environment.ProcessPath!;
    var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(exe) == "dotnet")
    {
        psi.ArgumentList.Add(typeof(Options).Assembly.Location);
    }
    foreach (string a in new[] { "--machine", "--threads", string.Join(',', opts.Threads) }.Concat(opts.Quick ? ["--quick"] : []))
    {
        psi.ArgumentList.Add(a);
    }
    foreach ((string name, string value) in env)
    {
        psi.Environment[name] = value;
    }
    using Process p = Process.Start(psi)!;
    string output = p.StandardOutput.ReadToEnd();
    p.WaitForExit();
    foreach (string line in output.Split('\n'))
    {
        string[] f = line.Trim().Split('|');
        if (f[0] == "PATH")
        {
            childPath = f[1];
            continue;
        }
        if (f[0] != "GEMM")
        {
            continue;
        }
        result[
            (
                f[1],
                int.Parse(f[2], CultureInfo.InvariantCulture),
                int.Parse(f[3], CultureInfo.InvariantCulture),
                int.Parse(f[4], CultureInfo.InvariantCulture),
                int.Parse(f[5], CultureInfo.InvariantCulture)
            )
        ] = double.Parse(f[6], CultureInfo.InvariantCulture);
    }
    _ = reps;
    return (childPath, result);
}

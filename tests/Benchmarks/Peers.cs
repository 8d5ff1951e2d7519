using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Benchmarks;

/// <summary>A peer's training figures: seconds per epoch (median after its first epoch) and the last test accuracy.</summary>
internal sealed record PeerTraining(double SecondsPerEpoch, double TestAccuracy, double ForeignCores);

/// <summary>Runs the peer scripts in tests/Benchmarks/peers with /usr/bin/python3 and reads their
/// --json output. OPENBLAS_CORETYPE is removed (so OpenBLAS picks its AVX-512 kernels) and torch with more than one
/// thread gets the OpenMP OpenBLAS (the pthread one oversubscribes the cores) with OMP_WAIT_POLICY=PASSIVE.</summary>
internal sealed class Peers
{
    private const string Python = "/usr/bin/python3";
    private const string OpenMpBlas = "/usr/lib/x86_64-linux-gnu/openblas-openmp";

    private Peers(string directory, bool hasNumpy, bool hasTorch)
    {
        Directory = directory;
        HasNumpy = hasNumpy;
        HasTorch = hasTorch;
    }

    public string Directory { get; }
    public bool HasNumpy { get; }
    public bool HasTorch { get; }

    /// <summary>The peer scripts in tests/Benchmarks/peers; null with a reason when they or python3 are missing.</summary>
    public static Peers? Locate(string? repositoryRoot, out string note)
    {
        string? dir = repositoryRoot is null ? null : Path.Combine(repositoryRoot, "tests", "Benchmarks", "peers");
        if (dir is null || !File.Exists(Path.Combine(dir, "gemm_bench.py")))
        {
            note = $"peers skipped: no tests/Benchmarks/peers/gemm_bench.py under {repositoryRoot ?? "(repository root not found)"}";
            return null;
        }
        if (!File.Exists(Python))
        {
            note = $"peers skipped: {Python} not found";
            return null;
        }
        bool numpy = Run(["-c", "import numpy"], 1, torch: false, out _) == 0;
        bool torch = Run(["-c", "import torch"], 1, torch: false, out _) == 0;
        note =
            $"peers from {dir}"
            + (numpy ? "" : "; numpy missing (apt-get install python3-numpy)")
            + (torch ? "" : "; torch missing (apt-get install python3-torch)");
        return numpy || torch ? new Peers(dir, numpy, torch) : null;
    }

    /// <summary>numpy sgemm (float32) or dgemm (float64) GFLOP/s per shape (median of its timed batches), keyed by (kind, M, K, N).</summary>
    public Dictionary<(string Kind, int M, int K, int N), double> Gemm(string precision, int threads, int reps, double minSeconds)
    {
        var result = new Dictionary<(string, int, int, int), double>();
        if (!HasNumpy)
        {
            return result;
        }
        string json = Path.GetTempFileName();
        try
        {
            int code = Run(
                [
                    Path.Combine(Directory, "gemm_bench.py"),
                    "--threads",
                    Str(threads),
                    "--libs",
                    "numpy",
                    "--dtype",
                    precision,
                    "--reps",
                    Str(reps),
                    "--min-time",
                    Str(minSeconds),
                    "--quiet-wait",
                    "0",
                    "--only",
                    "square 1024,[784->300],[300->10]",
                    "--json",
                    json,
                ],
                threads,
                torch: false,
                out string output
            );
            if (code != 0)
            {
                Console.Error.WriteLine($"gemm_bench.py failed ({code}):\n{output}");
                return result;
            }
            foreach (string line in File.ReadLines(json))
            {
                using var doc = JsonDocument.Parse(line);
                JsonElement e = doc.RootElement;
                string shape = e.GetProperty("shape").GetString()!;
                string kind = shape.Split(' ')[0];
                result[(kind, e.GetProperty("M").GetInt32(), e.GetProperty("K").GetInt32(), e.GetProperty("N").GetInt32())] = e.GetProperty(
                        "median"
                    )
                    .GetDouble();
            }
        }
        finally
        {
            File.Delete(json);
        }
        return result;
    }

    /// <summary>Runs torch_mlp.py or numpy_mlp.py with Adam for <paramref name="epochs"/> epochs; null when it failed.</summary>
    public PeerTraining? Train(string peer, string arch, int threads, int epochs)
    {
        if (peer == "torch" ? !HasTorch : !HasNumpy)
        {
            return null;
        }
        string json = Path.GetTempFileName();
        try
        {
            int code = Run(
                [
                    Path.Combine(Directory, peer + "_mlp.py"),
                    "--threads",
                    Str(threads),
                    "--arch",
                    arch,
                    "--opt",
                    "adam",
                    "--epochs",
                    Str(epochs),
                    "--quiet-wait",
                    "0",
                    "--json",
                    json,
                ],
                threads,
                peer == "torch",
                out string output
            );
            if (code != 0)
            {
                Console.Error.WriteLine($"{peer}_mlp.py failed ({code}):\n{output}");
                return null;
            }
            using var doc = JsonDocument.Parse(File.ReadLines(json).First());
            double[] secs = doc
                .RootElement.GetProperty("per_epoch")
                .EnumerateArray()
                .Select(e => e.GetProperty("secs").GetDouble())
                .ToArray();
            double accuracy = doc.RootElement.GetProperty("per_epoch").EnumerateArray().Last().GetProperty("test_acc").GetDouble();
            double foreign = Stats.Median(
                doc.RootElement.GetProperty("per_epoch").EnumerateArray().Select(e => e.GetProperty("foreign_cores").GetDouble())
            );
            // As for ours: the first epoch is the warm-up.
            return new PeerTraining(Stats.Median(secs.Length > 1 ? secs.Skip(1) : secs), accuracy, foreign);
        }
        finally
        {
            File.Delete(json);
        }
    }

    private static int Run(string[] args, int threads, bool torch, out string output)
    {
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment.Remove("OPENBLAS_CORETYPE");
        if (torch && threads > 1 && System.IO.Directory.Exists(OpenMpBlas))
        {
            psi.Environment["LD_LIBRARY_PATH"] = OpenMpBlas;
            // On a shared machine OpenMP's spinning workers fight the other processes: measured here, 25.8 s/epoch
            // instead of 1.9 s. Passive waiting is the peer's best setting under foreign load.
            psi.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        }
        using Process p = Process.Start(psi)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        output += stderr.Result;
        return p.ExitCode;
    }

    private static string Str(double x) => x.ToString(CultureInfo.InvariantCulture);
}

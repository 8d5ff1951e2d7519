using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Tests.Randomness;

/// <summary>One result of an op, flat row-major: doubles or int64, with numpy's shape.</summary>
internal sealed record Draw(int[] Shape, double[]? Doubles, long[]? Ints)
{
    public string Kind => Doubles is null ? "i64" : "f64";
}

/// <summary>numpy's RandomState output, from the committed fixture or from a live /usr/bin/python3; the ops are those of
/// make_fixtures.py, run here on <see cref="RandomState"/> and compared value by value, bit for bit.</summary>
internal static class NumpyOracle
{
    public const string PythonPath = "/usr/bin/python3";

    private static readonly Lazy<JsonDocument> FixtureDocument = new(() => JsonDocument.Parse(Resource("Randomness.numpy-fixtures.json")));
    private static readonly Lazy<(string? Version, string Problem)> Probe = new(ProbeNumpy);

    public static JsonElement Fixture => FixtureDocument.Value.RootElement;

    /// <summary>numpy's version at <see cref="PythonPath"/>, or null when python or numpy is missing.</summary>
    public static string? NumpyVersion => Probe.Value.Version;

    /// <summary>Why <see cref="NumpyVersion"/> is null.</summary>
    public static string NumpyProblem => Probe.Value.Problem;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string Resource(string name)
    {
        using var stream =
            typeof(NumpyOracle).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from the test assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Runs one op of make_fixtures.py (["rand", 784, 10], ["randint", low, high, n], ...) on rs.</summary>
    public static Draw Run(RandomState rs, JsonElement op)
    {
        string name = op[0].GetString()!;
        int argc = op.GetArrayLength() - 1;
        int I(int k) => op[k].GetInt32();
        long L(int k) => op[k].GetInt64();
        double D(int k) => op[k].GetDouble();
        int[] Dims() => Enumerable.Range(1, argc).Select(I).ToArray();

        return (name, argc) switch
        {
            ("random_sample", 0) or ("rand", 0) => new Draw([], [rs.RandomSample()], null),
            ("random_sample", 1) => new Draw([I(1)], rs.RandomSample(I(1)), null),
            ("rand", 1) => new Draw(Dims(), rs.Rand(I(1)), null),
            ("rand", 2) => new Draw(Dims(), rs.Rand(I(1), I(2)).Data, null),
            ("random", 1) => new Draw(Dims(), rs.Random(I(1)), null),
            ("random", 2) => new Draw(Dims(), rs.Random(I(1), I(2)).Data, null),
            ("randn", 0) => new Draw([], [rs.Randn()], null),
            ("randn", 1) => new Draw(Dims(), rs.Randn(I(1)), null),
            ("randn", 2) => new Draw(Dims(), rs.Randn(I(1), I(2)).Data, null),
            ("randint", 2) => new Draw([], null, [rs.Randint(L(1), L(2))]),
            ("randint", 3) => new Draw([I(3)], null, rs.Randint(L(1), L(2), I(3))),
            ("permutation", 1) => new Draw([I(1)], null, rs.Permutation(I(1)).Select(v => (long)v).ToArray()),
            ("shuffle", 1) => new Draw([I(1)], null, Shuffled(rs, I(1))),
            ("uniform", 3) => new Draw([I(3)], rs.Uniform(D(1), D(2), I(3)), null),
            ("normal", 3) => new Draw([I(3)], rs.Normal(D(1), D(2), I(3)), null),
            _ => throw new ArgumentException($"unknown op {op}"),
        };
    }

    /// <summary>Asserts that actual equals numpy's result exactly: kind, shape, every stored value, and the SHA-256 of all.</summary>
    public static void AssertSame(JsonElement expected, Draw actual, string where)
    {
        Assert.True(
            expected.GetProperty("kind").GetString() == actual.Kind,
            $"{where}: numpy gives {expected.GetProperty("kind")}, C# {actual.Kind}"
        );
        int[] shape = expected.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.True(
            shape.SequenceEqual(actual.Shape),
            $"{where}: numpy shape ({string.Join(", ", shape)}), C# ({string.Join(", ", actual.Shape)})"
        );
        int n = actual.Doubles?.Length ?? actual.Ints!.Length;
        Assert.Equal(shape.Aggregate(1L, (a, b) => a * b), n);

        if (expected.TryGetProperty("values", out var values))
        {
            Assert.Equal(values.GetArrayLength(), n);
            int i = 0;
            foreach (var v in values.EnumerateArray())
            {
                AssertValue(v, actual, i++, where);
            }
        }
        else
        {
            var head = expected.GetProperty("head");
            var tail = expected.GetProperty("tail");
            for (int i = 0; i < head.GetArrayLength(); i++)
            {
                AssertValue(head[i], actual, i, where);
            }

            for (int i = 0; i < tail.GetArrayLength(); i++)
            {
                AssertValue(tail[i], actual, n - tail.GetArrayLength() + i, where);
            }

            foreach (var pair in expected.GetProperty("sample").EnumerateArray())
            {
                AssertValue(pair[1], actual, pair[0].GetInt32(), where);
            }
        }

        Assert.True(
            expected.GetProperty("sha256").GetString() == Sha256(actual),
            $"{where}: the SHA-256 of all {n} values differs from numpy's"
        );
    }

    public static string Sha256(Draw draw)
    {
        // numpy hashes little-endian bytes; this machine is little-endian, as the test asserts.
        Assert.True(BitConverter.IsLittleEndian);
        byte[] bytes = draw.Doubles is { } d
            ? System.Runtime.InteropServices.MemoryMarshal.AsBytes(d.AsSpan()).ToArray()
            : System.Runtime.InteropServices.MemoryMarshal.AsBytes(draw.Ints.AsSpan()).ToArray();
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    public static double FromHexBits(string hex) =>
        BitConverter.UInt64BitsToDouble(ulong.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    /// <summary>Runs make_fixtures.py --stdin on cases [{"seed", "ops"}] and returns numpy's full results per case.</summary>
    public static JsonElement RunPython(string casesJson)
    {
        var start = new ProcessStartInfo(PythonPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Resource("Randomness.make_fixtures.py"));
        start.ArgumentList.Add("--stdin");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(casesJson);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill();
            Assert.Fail($"{PythonPath} make_fixtures.py --stdin did not finish in 120 s");
        }

        Assert.True(process.ExitCode == 0, $"{PythonPath} make_fixtures.py --stdin exited with {process.ExitCode}: {stderr.Result}");
        return JsonDocument.Parse(stdout.Result).RootElement;
    }

    private static void AssertValue(JsonElement expected, Draw actual, int i, string where)
    {
        if (actual.Doubles is { } doubles)
        {
            double numpy = FromHexBits(expected.GetString()!);
            Assert.True(
                BitConverter.DoubleToUInt64Bits(numpy) == BitConverter.DoubleToUInt64Bits(doubles[i]),
                $"{where}[{i}]: numpy {numpy:R} ({expected.GetString()}), C# {doubles[i]:R} ({BitConverter.DoubleToUInt64Bits(doubles[i]):x16})"
            );
        }
        else
        {
            Assert.True(expected.GetInt64() == actual.Ints![i], $"{where}[{i}]: numpy {expected.GetInt64()}, C# {actual.Ints![i]}");
        }
    }

    private static long[] Shuffled(RandomState rs, int n)
    {
        long[] values = Enumerable.Range(0, n).Select(v => (long)v).ToArray();
        rs.Shuffle(values);
        return values;
    }

    private static (string? Version, string Problem) ProbeNumpy()
    {
        if (!File.Exists(PythonPath))
        {
            return (null, $"{PythonPath} does not exist");
        }

        try
        {
            var start = new ProcessStartInfo(PythonPath, ["-c", "import numpy; print(numpy.__version__)"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill();
                return (null, $"{PythonPath} -c 'import numpy' did not finish in 60 s");
            }

            return process.ExitCode == 0
                ? (stdout.Result.Trim(), "")
                : (null, $"{PythonPath} cannot import numpy: {stderr.Result.Trim().Split('\n').Last()}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, $"{PythonPath} could not start: {e.Message}");
        }
    }
}

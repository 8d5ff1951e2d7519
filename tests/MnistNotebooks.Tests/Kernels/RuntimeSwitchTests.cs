using System.Diagnostics;
using System.Runtime.Intrinsics;
using MnistNotebooks.Kernels;

namespace MnistNotebooks.Tests.Kernels;

/// <summary>The kernel tests again in child processes with the JIT's AVX-512, then AVX2, switched off through the
/// runtime's settings, so that the 256-bit path and the 128-bit one (the width .NET maps to ARM NEON) run as they do
/// on a laptop without AVX-512 or on Apple silicon: other code paths, other FMA lowering, not only narrower loops.</summary>
public sealed class RuntimeSwitchTests
{
    private const string ReportVariable = "MNISTNOTEBOOKS_VECTOR_REPORT";

    /// <summary>.NET 8 and 9 read <c>EnableAVX512F</c>; .NET 10 ignores it and reads <c>EnableAVX512</c>: set both.</summary>
    public static TheoryData<int, string> Switches =>
        new() { { 256, "DOTNET_EnableAVX512F=0;DOTNET_EnableAVX512=0" }, { 128, "DOTNET_EnableAVX2=0" } };

    /// <summary>Simd's width agrees with what the JIT accelerates; in a child run, it is written down for the parent.</summary>
    [Fact]
    public void SimdWidthIsTheWidestTheJitAccelerates()
    {
        int expected =
            Vector512.IsHardwareAccelerated ? 512
            : Vector256.IsHardwareAccelerated ? 256
            : 128;
        Assert.Equal(expected, Simd.HardwareBits);
        if (Environment.GetEnvironmentVariable(ReportVariable) is { Length: > 0 } report)
        {
            File.WriteAllText(report, expected.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [MemberData(nameof(Switches))]
    public async Task KernelTestsPassWithWideVectorsSwitchedOff(int bits, string settings)
    {
        string assembly = typeof(RuntimeSwitchTests).Assembly.Location;
        string report = Path.Combine(Path.GetTempPath(), $"vector-report-{Guid.NewGuid():N}.txt");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        // Every kernel test but this theory (a child must not start children).
        foreach (
            string arg in new[]
            {
                "test",
                assembly,
                "--filter",
                $"FullyQualifiedName~{typeof(RuntimeSwitchTests).Namespace}&FullyQualifiedName!~{nameof(KernelTestsPassWithWideVectorsSwitchedOff)}",
            }
        )
        {
            start.ArgumentList.Add(arg);
        }
        foreach (string setting in settings.Split(';'))
        {
            string[] kv = setting.Split('=');
            start.Environment[kv[0]] = kv[1];
        }
        start.Environment[ReportVariable] = report;
        try
        {
            using Process child = Process.Start(start)!;
            Task<string> stdout = child.StandardOutput.ReadToEndAsync(),
                stderr = child.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await child.WaitForExitAsync(timeout.Token);
            // Quoted line by line: CI sums the lines that begin "Passed!" or "Failed!", and the child's must not count.
            string output = string.Join('\n', (await stdout + await stderr).Split('\n').Select(line => "  | " + line));
            Assert.True(child.ExitCode == 0, $"the kernel tests failed with {settings}:\n{output}");
            Assert.Contains("Passed!", output, StringComparison.Ordinal);
            Assert.True(
                File.Exists(report),
                $"the child run with {settings} did not run {nameof(SimdWidthIsTheWidestTheJitAccelerates)}:\n{output}"
            );
            // On a CPU narrower than the switch asks for, the child simply runs the hardware's own width.
            Assert.Equal(
                Math.Min(bits, Simd.HardwareBits).ToString(System.Globalization.CultureInfo.InvariantCulture),
                File.ReadAllText(report)
            );
        }
        finally
        {
            File.Delete(report);
        }
    }
}

using System.Diagnostics;
using System.Xml.Linq;
using NotebookRunner.Execution;

namespace NotebookRunner.Tests;

/// <summary>What probing the runner found broken (issue 15), one test each: every one failed on the Roslyn-scripting runner.</summary>
[Collection(ProcessWide.Name)]
public sealed class ReliabilityTests
{
    /// <summary>Linear, not quadratic: joining each write by string concatenation would copy the text so far on every
    /// write (about 40 GB for these 60,000 lines); a StringBuilder allocates a small multiple of the text. Measured in
    /// bytes this thread allocated, not in seconds, so a busy machine cannot fail it.</summary>
    [Fact]
    public void Printing_is_linear_in_the_number_of_writes()
    {
        var outputs = new OutputList();
        string[] lines = [.. Enumerable.Range(0, 60_000).Select(i => $"line {i}\n")];
        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (string line in lines)
            outputs.Write("stdout", line);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var text = Assert.IsType<StreamOutput>(Assert.Single(outputs.ToList())).Text;
        Assert.Equal(string.Concat(lines), text);
        long textBytes = 2L * text.Length;
        Assert.True(allocated < 8 * textBytes, $"60,000 writes of {textBytes:N0} bytes of text allocated {allocated:N0} bytes");
    }

    [Fact]
    public async Task A_cell_printing_60000_lines_is_stored_whole()
    {
        using var fixture = new Fixture("print-60000-lines.ipynb");
        var result = await RunnerTests.Run(fixture, "print-60000-lines.ipynb");
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        var text = Assert.IsType<StreamOutput>(Assert.Single(result.Cells[0].Outputs)).Text;
        Assert.Equal(60_000, text.Count(c => c == '\n'));
    }

    [Fact]
    public void Environment_exit_after_a_failed_cell_fails_the_run_with_its_summary_and_junit()
    {
        using var fixture = new Fixture("exit-after-failure.ipynb");
        var junit = Path.Combine(fixture.Folder, "junit.xml");
        var (exit, output) = CliTests.Cli("run", fixture.Folder, "--plain", "--keep-going", "--junit", junit);
        Assert.Equal(1, exit);
        Assert.Contains("cell 2: stopped the kernel: the worker process exited with code 0", output);
        Assert.EndsWith("0 passed, 1 failed", output.TrimEnd());
        Assert.Equal("2", (string?)XDocument.Load(junit).Root!.Element("testsuite")!.Attribute("failures"));
    }

    [Fact]
    public void Junit_escapes_control_characters_of_an_exception_message()
    {
        using var fixture = new Fixture("ansi-exception.ipynb");
        var junit = Path.Combine(fixture.Folder, "junit.xml");
        var (exit, _) = CliTests.Cli("run", fixture.Folder, "--plain", "--junit", junit);
        Assert.Equal(1, exit);
        var failure = XDocument.Load(junit).Descendants("failure").Single();
        Assert.Equal("InvalidOperationException: \\x1b[31mred\\x1b[0m and a bell \\x07", (string?)failure.Attribute("message"));
        Assert.DoesNotContain(Directory.GetFiles(fixture.Folder), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void A_python_notebook_is_not_run_as_csharp_and_lint_says_so()
    {
        using var fixture = new Fixture("python-kernelspec.ipynb");
        var (exit, output) = CliTests.Cli("run", fixture.Folder, "--plain");
        Assert.Equal(1, exit);
        Assert.Contains("not a C# notebook: its kernelspec is 'python3' (python)", output);
        Assert.DoesNotContain("CS1003", output);
        var (lintExit, lint) = CliTests.Cli("lint", fixture.Folder);
        Assert.Equal(1, lintExit);
        Assert.Contains("python-kernelspec.ipynb: error: not a C# notebook", lint);
    }

    [Fact]
    public void Lint_reports_each_malformed_file_and_goes_on()
    {
        using var fixture = new Fixture("malformed.ipynb", "succeed.ipynb", "lint-missing-newline.ipynb");
        var (exit, output) = CliTests.Cli("lint", fixture.Folder);
        Assert.Equal(1, exit);
        Assert.Contains("malformed.ipynb: error: cannot read notebook:", output);
        Assert.Contains("lint-missing-newline.ipynb: error: cell 1", output);
        Assert.EndsWith("1 passed, 2 failed", output.TrimEnd());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Update_refuses_a_read_only_notebook_and_keeps_its_mode()
    {
        using var fixture = new Fixture("succeed.ipynb");
        var path = fixture["succeed.ipynb"];
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        var before = File.ReadAllText(path);
        var result = await RunnerTests.Run(fixture, "succeed.ipynb", RunMode.Update);
        Assert.False(result.Written);
        Assert.Contains(
            result.Errors,
            e => e.EndsWith("succeed.ipynb is read-only: not updated (make it writable to store outputs)", StringComparison.Ordinal)
        );
        Assert.Equal(before, File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task Update_writes_through_a_symlink_to_its_target()
    {
        using var fixture = new Fixture("succeed.ipynb");
        var target = fixture["succeed.ipynb"];
        var link = Path.Combine(fixture.Folder, "link.ipynb");
        File.CreateSymbolicLink(link, target);
        var result = await Runner.RunAsync(link, new RunOptions { Mode = RunMode.Update });
        Assert.True(result.Written, string.Join("\n", result.Failures));
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Contains("\"hello\\n\"", File.ReadAllText(target));
    }

    [Fact]
    public async Task Update_refuses_to_overwrite_edits_saved_while_it_ran()
    {
        using var fixture = new Fixture("edited-while-running.ipynb");
        var result = await RunnerTests.Run(fixture, "edited-while-running.ipynb", RunMode.Update);
        Assert.False(result.Written);
        Assert.Contains(result.Errors, e => e.Contains("changed on disk while it ran: not overwritten", StringComparison.Ordinal));
        Assert.EndsWith("}\n\n", File.ReadAllText(fixture["edited-while-running.ipynb"]));
    }

    [Theory]
    [InlineData("--timeout", "-5", "--timeout must be a positive number of seconds, got -5")]
    [InlineData("--timeout", "0", "--timeout must be a positive number of seconds, got 0")]
    [InlineData("--jobs", "0", "--jobs must be at least 1, got 0")]
    [InlineData("--junit", ".", "is a folder")]
    public void Bad_options_are_usage_errors_before_anything_runs(string option, string value, string message)
    {
        using var fixture = new Fixture("succeed.ipynb");
        var (exit, output) = CliTests.Cli("run", fixture.Folder, "--plain", option, value == "." ? fixture.Folder : value);
        Assert.Equal(2, exit);
        Assert.Contains(message, output);
        Assert.DoesNotContain("▶", output);
    }

    [Fact]
    public async Task A_failing_restore_shows_the_whole_message_and_stops_the_notebook()
    {
        using var fixture = new Fixture("restore-failure.ipynb");
        var result = await RunnerTests.Run(fixture, "restore-failure.ipynb");
        Assert.Equal([CellStatus.Failed, CellStatus.NotRun], result.Cells.Select(c => c.Status));
        Assert.Contains("error NU1101: Unable to find package NoSuch.Package.For.Runner.Tests", result.Cells[0].Message);
        Assert.Single(result.Failures);
    }

    [Fact]
    public async Task A_relative_tolerance_does_not_widen_the_absolute_one()
    {
        using var fixture = new Fixture("tolerance-relative-only.ipynb", "tolerance-absolute.ipynb");
        var relative = await RunnerTests.Run(fixture, "tolerance-relative-only.ipynb", RunMode.Check);
        Assert.Contains("expected 0.001 but got 0.002", Assert.Single(relative.Failures));
        var absolute = await RunnerTests.Run(fixture, "tolerance-absolute.ipynb", RunMode.Check);
        Assert.True(absolute.Succeeded, string.Join("\n", absolute.Failures));
    }

    [Fact]
    public async Task Characters_written_in_parts_are_stored_whole()
    {
        using var fixture = new Fixture("split-characters.ipynb");
        var result = await RunnerTests.Run(fixture, "split-characters.ipynb");
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        Assert.Equal("α·mean 😀 done\n😀\n", RunnerTests.Text(result.Cells[0]));
    }

    [Fact]
    public void A_stack_overflow_fails_its_notebook_by_cell_and_the_others_go_on()
    {
        using var fixture = new Fixture("stack-overflow.ipynb", "succeed.ipynb");
        var (exit, output) = CliTests.Cli("run", fixture.Folder, "--plain", "--jobs", "2");
        Assert.Equal(1, exit);
        Assert.Contains(
            "stack-overflow.ipynb: cell 1: stopped the kernel: the worker process exited with code 134: Stack overflow.",
            output
        );
        Assert.Contains("PASSED " + fixture["succeed.ipynb"], output);
        // Reports stay in path order whatever finished first.
        Assert.True(
            output.IndexOf("▶ " + fixture["stack-overflow.ipynb"], StringComparison.Ordinal)
                < output.IndexOf("▶ " + fixture["succeed.ipynb"], StringComparison.Ordinal)
        );
        Assert.EndsWith("1 passed, 1 failed", output.TrimEnd());
    }

    [Fact]
    public async Task A_timed_out_cell_is_killed_with_its_process()
    {
        using var fixture = new Fixture("timeout-kills-process.ipynb");
        var result = await RunnerTests.Run(fixture, "timeout-kills-process.ipynb");
        Assert.Equal("cell 2: timed out after 2s (its worker process was killed)", Assert.Single(result.Failures));
        var pid = int.Parse(
            File.ReadAllText(Path.Combine(fixture.Folder, "worker.pid")),
            System.Globalization.CultureInfo.InvariantCulture
        );
        Assert.NotEqual(Environment.ProcessId, pid);
        Assert.False(IsRunning(pid), $"worker {pid} is still running");
    }

    static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

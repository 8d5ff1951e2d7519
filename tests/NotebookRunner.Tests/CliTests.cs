using System.Xml.Linq;

namespace NotebookRunner.Tests;

/// <summary>The command line, in process: exit codes 0 (all passed), 1 (failures), 2 (usage), and the closing count line.</summary>
[Collection(ProcessWide.Name)]
public sealed class CliTests
{
    internal static (int ExitCode, string Output) Cli(params string[] args)
    {
        var original = Console.Out;
        var originalError = Console.Error;
        var output = new StringWriter();
        Console.SetOut(output);
        Console.SetError(output);
        try
        {
            var exit = (int)typeof(Runner).Assembly.EntryPoint!.Invoke(null, [args])!;
            return (exit, output.ToString());
        }
        finally
        {
            Console.SetOut(original);
            Console.SetError(originalError);
        }
    }

    [Fact]
    public void Run_of_passing_notebooks_exits_0_with_the_closing_line()
    {
        using var fixture = new Fixture("succeed.ipynb", "succeed.dib");
        var (exit, output) = Cli("run", fixture.Folder, "--plain");
        Assert.Equal(0, exit);
        Assert.EndsWith("2 passed, 0 failed", output.TrimEnd());
    }

    [Fact]
    public void Run_with_a_failure_exits_1_names_the_cell_and_writes_junit()
    {
        using var fixture = new Fixture("succeed.ipynb", "fail.ipynb");
        var junit = Path.Combine(fixture.Folder, "report", "junit.xml");
        var (exit, output) = Cli("run", fixture["succeed.ipynb"], fixture["fail.ipynb"], "--plain", "--junit", junit);
        Assert.Equal(1, exit);
        Assert.Contains("fail.ipynb: cell 2: InvalidOperationException: this cell fails", output);
        Assert.Equal("1 passed, 1 failed", output.TrimEnd().Split('\n')[^1]);
        var suites = XDocument.Load(junit).Root!.Elements("testsuite").ToList();
        Assert.Equal(2, suites.Count);
        Assert.Equal("1", (string?)suites[1].Attribute("failures"));
    }

    [Fact]
    public void A_failure_leaves_the_later_cells_unrun_and_keep_going_runs_them()
    {
        using var fixture = new Fixture("fail.ipynb");
        var (exit, output) = Cli("run", fixture["fail.ipynb"], "--plain");
        Assert.Equal(1, exit);
        Assert.Contains("cell 3 [notrun] 0.00s not run: cell 2 failed (--keep-going runs on)", output);
        var (_, kept) = Cli("run", fixture["fail.ipynb"], "--plain", "--keep-going");
        Assert.Contains("cell 3 [passed]", kept);
    }

    [Fact]
    public void Usage_errors_exit_2()
    {
        Assert.Equal(2, Cli("run").ExitCode);
        Assert.Equal(2, Cli("run", "/no/such/notebook.ipynb").ExitCode);
        Assert.Equal(2, Cli("frobnicate", "x").ExitCode);
    }

    [Fact]
    public void Lint_reports_a_swallowed_line_and_exits_1()
    {
        using var fixture = new Fixture("lint-missing-newline.ipynb", "succeed.ipynb");
        var (exit, output) = Cli("lint", fixture.Folder);
        Assert.Equal(1, exit);
        Assert.Contains("lint-missing-newline.ipynb: error: cell 1: source line 1 does not end with", output);
        Assert.EndsWith("1 passed, 1 failed", output.TrimEnd());
    }

    [Fact]
    public void Check_of_a_mismatch_exits_1()
    {
        using var fixture = new Fixture("stored-output-mismatch.ipynb");
        var (exit, output) = Cli("check", fixture.Folder, "--plain");
        Assert.Equal(1, exit);
        Assert.EndsWith("0 passed, 1 failed", output.TrimEnd());
    }

    [Fact]
    public async Task Culture_comes_from_DOTNET_CLI_CULTURE()
    {
        using var fixture = new Fixture("succeed.ipynb");
        await Fixture.WithVariable(
            "DOTNET_CLI_CULTURE",
            "de-DE",
            async () =>
            {
                var result = await RunnerTests.Run(fixture, "succeed.ipynb");
                Assert.Equal("hello\n1,5\n", RunnerTests.Text(result.Cells[1]));
            }
        );
    }

    [Fact]
    public async Task Relative_notebook_path_resolves_references_from_the_notebooks_folder()
    {
        using var fixture = new Fixture("relative-reference.ipynb");
        var libs = Directory.CreateDirectory(Path.Combine(fixture.Folder, "libs")).FullName;
        var newtonsoft = Directory
            .GetFiles(
                Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages", "newtonsoft.json"),
                "Newtonsoft.Json.dll",
                SearchOption.AllDirectories
            )
            .First(p => p.Contains("netstandard2.0", StringComparison.Ordinal));
        File.Copy(newtonsoft, Path.Combine(libs, "Newtonsoft.Json.dll"));
        var parent = Path.GetDirectoryName(fixture.Folder)!;
        var before = Environment.CurrentDirectory;
        Environment.CurrentDirectory = parent;
        try
        {
            // As CI calls it: `check notebooks/x.ipynb` from the repository root.
            var relative = Path.Combine(Path.GetFileName(fixture.Folder), "relative-reference.ipynb");
            var result = await Runner.RunAsync(relative, new RunOptions { CellTimeout = TimeSpan.FromSeconds(60) });
            Assert.True(result.Succeeded, string.Join("\n", result.Failures));
            Assert.Equal(before == parent ? before : parent, Environment.CurrentDirectory);
        }
        finally
        {
            Environment.CurrentDirectory = before;
        }
    }
}

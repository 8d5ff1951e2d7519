using NotebookRunner.Execution;

namespace NotebookRunner.Tests;

/// <summary>Each fixture notebook is named after the behaviour it shows; each test asserts its outcome.</summary>
public sealed class RunnerTests
{
    internal static async Task<NotebookResult> Run(Fixture fixture, string name, RunMode mode = RunMode.Run, bool keepGoing = false) =>
        await Runner.RunAsync(
            fixture[name],
            new RunOptions
            {
                Mode = mode,
                KeepGoing = keepGoing,
                CellTimeout = TimeSpan.FromSeconds(120),
            }
        );

    internal static string Text(CellResult cell) =>
        string.Concat(
            cell.Outputs.Select(o =>
                o switch
                {
                    StreamOutput s => s.Text,
                    DisplayOutput d => string.Join("|", d.Data.Select(p => $"{p.Key}={p.Value}")) + "\n",
                    ErrorOutput e => $"{e.EName}: {e.EValue}\n",
                    _ => "",
                }
            )
        );

    [Fact]
    public async Task Succeed_runs_every_code_cell_in_the_notebooks_folder_with_the_invariant_culture()
    {
        using var fixture = new Fixture("succeed.ipynb");
        var result = await Run(fixture, "succeed.ipynb");
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        Assert.Equal(CellStatus.NotCode, result.Cells[0].Status);
        Assert.Equal("hello\n1.5\n", Text(result.Cells[1]));
        Assert.Contains("text/plain=HELLO", Text(result.Cells[2]));
        Assert.Contains(Path.GetFileName(fixture.Folder), Text(result.Cells[2]));
        Assert.Equal("text/html=<b>bold</b>\n", Text(result.Cells[3]));
    }

    [Fact]
    public async Task Succeed_dib_runs_csharp_cells_and_time_reports_wall_time()
    {
        using var fixture = new Fixture("succeed.dib");
        var result = await Run(fixture, "succeed.dib");
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        Assert.Equal(3, result.Cells.Count);
        Assert.Equal("10\n", Text(result.Cells[1]));
        Assert.Matches(@"Wall time: [0-9.]+m?s", Text(result.Cells[2]));
    }

    [Fact]
    public async Task Fail_stores_the_error_as_vscode_and_stops_the_notebook_as_run_all_does()
    {
        using var fixture = new Fixture("fail.ipynb");
        var result = await Run(fixture, "fail.ipynb");
        Assert.False(result.Succeeded);
        Assert.Equal([CellStatus.Passed, CellStatus.Failed, CellStatus.NotRun], result.Cells.Select(c => c.Status));
        var failed = result.Cells[1];
        Assert.Equal("InvalidOperationException: this cell fails", failed.Message);
        var error = Assert.IsType<ErrorOutput>(Assert.Single(failed.Outputs));
        Assert.Equal("Error", error.EName);
        Assert.StartsWith("System.InvalidOperationException: this cell fails\n   at Submission#", error.EValue);
        Assert.Equal("System.InvalidOperationException: this cell fails\n", error.Traceback[0]);
        Assert.Equal("not run: cell 2 failed (--keep-going runs on)", result.Cells[2].Message);
        Assert.Empty(result.Cells[2].Outputs);
    }

    [Fact]
    public async Task Keep_going_runs_the_cells_after_a_failure()
    {
        using var fixture = new Fixture("fail.ipynb");
        var result = await Run(fixture, "fail.ipynb", keepGoing: true);
        Assert.Equal([CellStatus.Passed, CellStatus.Failed, CellStatus.Passed], result.Cells.Select(c => c.Status));
        Assert.Equal("still runs\n", Text(result.Cells[2]));
    }

    [Fact]
    public async Task Fail_dib_names_the_unsupported_fsharp_cell()
    {
        using var fixture = new Fixture("fail.dib");
        var result = await Run(fixture, "fail.dib", keepGoing: true);
        Assert.Contains(result.Failures, f => f.StartsWith("cell 3: kernel 'fsharp' is not supported", StringComparison.Ordinal));
        Assert.Contains(result.Failures, f => f == "cell 2: InvalidOperationException: dib fails");
    }

    [Fact]
    public async Task Compile_error_is_an_error_output_with_position_and_code()
    {
        using var fixture = new Fixture("compile-error.ipynb");
        var result = await Run(fixture, "compile-error.ipynb");
        var cell = result.Cells[1];
        Assert.Equal(CellStatus.Failed, cell.Status);
        var error = Assert.IsType<ErrorOutput>(Assert.Single(cell.Outputs));
        Assert.Equal("Error", error.EName);
        Assert.Equal("(1,9): error CS0029: Cannot implicitly convert type 'string' to 'int'", error.EValue);
        Assert.Equal([error.EValue], error.Traceback);
    }

    [Fact]
    public async Task Expected_exception_passes_when_raised_by_directive_or_tag()
    {
        using var fixture = new Fixture("expected-exception.ipynb");
        var result = await Run(fixture, "expected-exception.ipynb");
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        Assert.All(result.Cells.Take(3), c => Assert.Contains("as expected", c.Message));
        Assert.Equal("after the expected failures\n", Text(result.Cells[3]));
    }

    [Fact]
    public async Task Expected_exception_not_raised_fails_the_cell()
    {
        using var fixture = new Fixture("expected-exception-not-raised.ipynb", "expected-exception-wrong-type.ipynb");
        var notRaised = await Run(fixture, "expected-exception-not-raised.ipynb");
        Assert.Equal("cell 1: expected InvalidOperationException but the cell completed without one", Assert.Single(notRaised.Failures));
        var wrongType = await Run(fixture, "expected-exception-wrong-type.ipynb");
        Assert.Equal("cell 1: expected InvalidOperationException but got ArgumentException: wrong type", Assert.Single(wrongType.Failures));
    }

    [Fact]
    public async Task Skip_by_directive_or_tag_does_not_run_the_cell()
    {
        using var fixture = new Fixture("skip.ipynb");
        var result = await Run(fixture, "skip.ipynb");
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        Assert.Equal([CellStatus.Skipped, CellStatus.Skipped, CellStatus.Passed], result.Cells.Select(c => c.Status));
    }

    [Fact]
    public async Task Timeout_stops_the_notebook_and_names_the_cell()
    {
        using var fixture = new Fixture("timeout.ipynb");
        var result = await Run(fixture, "timeout.ipynb");
        Assert.False(result.Succeeded);
        Assert.Equal("cell 2: timed out after 1s (its worker process was killed)", Assert.Single(result.Failures));
        Assert.Equal(CellStatus.NotRun, result.Cells[2].Status);
        Assert.True(result.Duration < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Shared_state_keeps_variables_types_and_methods_across_cells()
    {
        using var fixture = new Fixture("shared-state.ipynb");
        var result = await Run(fixture, "shared-state.ipynb");
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        Assert.Equal("Point { X = 42, Y = 84 }\n", Text(result.Cells[2]));
    }

    [Fact]
    public async Task Runtime_error_keeps_state_assigned_before_the_throw_and_compile_error_keeps_previous_state()
    {
        using var fixture = new Fixture("runtime-error-keeps-state.ipynb");
        var result = await Run(fixture, "runtime-error-keeps-state.ipynb");
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        Assert.Equal("assigned = 7\n", Text(result.Cells[2]));
    }

    [Fact]
    public async Task Unsupported_kernel_and_magics_are_errors_naming_the_cell()
    {
        using var fixture = new Fixture("unsupported-kernel.ipynb");
        var result = await Run(fixture, "unsupported-kernel.ipynb", keepGoing: true);
        var failures = result.Failures.ToList();
        Assert.Equal(3, failures.Count);
        Assert.StartsWith("cell 2: kernel 'fsharp' is not supported: the runner hosts the csharp, html, value kernels only", failures[0]);
        Assert.Equal("cell 3: (1,1): error DNI101: Unknown magic command '#!pwsh'", failures[1]);
        Assert.Equal("cell 4: (1,1): error DNI101: Unknown magic command '#!frobnicate'", failures[2]);
    }

    [Fact]
    public async Task Nuget_references_and_package_sources_go_through_the_kernels_package_manager()
    {
        using var fixture = new Fixture("nuget.ipynb");
        // #i takes a URI or an absolute folder: the fixture names its feed, the test puts an empty one in its folder.
        var feed = Directory.CreateDirectory(Path.Combine(fixture.Folder, "local-feed")).FullName;
        File.WriteAllText(fixture["nuget.ipynb"], File.ReadAllText(fixture["nuget.ipynb"]).Replace("LOCAL_FEED", feed));
        var result = await Run(fixture, "nuget.ipynb");
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        Assert.Contains("Installed Packages", Text(result.Cells[0]));
        Assert.EndsWith("{\"a\":1}\n", Text(result.Cells[0]));
        Assert.EndsWith("text/plain=<p><em>hi</em></p>\n", Text(result.Cells[1]));
    }

    [Fact]
    public async Task Relative_reference_resolves_from_the_notebooks_folder()
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
        var result = await Run(fixture, "relative-reference.ipynb");
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        Assert.Equal("text/plain=[1,2]\n", Text(result.Cells[0]));
    }

    [Fact]
    public async Task Display_update_and_display_table_are_stored_as_vscode_stores_the_kernels_events()
    {
        using var fixture = new Fixture("display-update.ipynb");
        var result = await Run(fixture, "display-update.ipynb");
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        // The kernel publishes DisplayedValue.Update under a new value id, so VS Code shows it as one more output.
        Assert.Equal("text/plain=first\ntext/plain=second\ntext/plain=after\n", Text(result.Cells[0]));
        Assert.StartsWith("text/markdown=markdown **text**\ntext/html=<table>", Text(result.Cells[1]));
        var table = Assert.IsType<DisplayOutput>(result.Cells[1].Outputs[1]);
        Assert.Equal(["text/html", "text/csv"], table.Data.Keys);
        Assert.StartsWith("<table><thead><tr><td><span>Name</span></td>", table.Data["text/html"]);
        Assert.Equal("Name,Value\na,1\n", table.Data["text/csv"].Replace("\r\n", "\n"));
        Assert.Matches(@"^text/plain=Wall time: [0-9.]+ms\n$", Text(result.Cells[2]));
    }

    [Fact]
    public async Task Stored_output_mismatch_fails_check()
    {
        using var fixture = new Fixture("stored-output-mismatch.ipynb");
        var result = await Run(fixture, "stored-output-mismatch.ipynb", RunMode.Check);
        var failure = Assert.Single(result.Failures);
        Assert.Contains("output differs from the stored output", failure);
        Assert.Contains("number 1 differs beyond the tolerance", failure);
        Assert.Contains("expected 4 but got 3", failure);
    }

    [Fact]
    public async Task Numeric_tolerance_guids_timings_and_stack_traces_are_normalised_in_check()
    {
        using var fixture = new Fixture("numeric-tolerance.ipynb");
        var result = await Run(fixture, "numeric-tolerance.ipynb", RunMode.Check);
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
    }

    [Fact]
    public async Task Update_writes_outputs_as_vscode_and_check_then_passes()
    {
        using var fixture = new Fixture("succeed.ipynb");
        var updated = await Run(fixture, "succeed.ipynb", RunMode.Update);
        Assert.True(updated.Written);
        var json = fixture.Json("succeed.ipynb");
        var cell = json["cells"]![1]!;
        Assert.Equal(1, (int)cell["execution_count"]!);
        Assert.Equal("stdout", (string?)cell["outputs"]![0]!["name"]);
        Assert.Equal("hello\n", (string?)cell["outputs"]![0]!["text"]![0]);
        Assert.Equal("csharp", (string?)cell["metadata"]!["polyglot_notebook"]!["kernelName"]);
        Assert.EndsWith("}\n", File.ReadAllText(fixture["succeed.ipynb"]));
        var check = await Run(fixture, "succeed.ipynb", RunMode.Check);
        Assert.True(check.Succeeded, string.Join("\n", check.Failures));
    }

    [Fact]
    public async Task Update_does_not_write_a_failed_notebook()
    {
        using var fixture = new Fixture("fail.ipynb");
        var before = File.ReadAllText(fixture["fail.ipynb"]);
        var result = await Run(fixture, "fail.ipynb", RunMode.Update);
        Assert.False(result.Written);
        Assert.Equal(before, File.ReadAllText(fixture["fail.ipynb"]));
        var forced = await Runner.RunAsync(fixture["fail.ipynb"], new RunOptions { Mode = RunMode.Update, Force = true });
        Assert.True(forced.Written);
        Assert.Equal("Error", (string?)fixture.Json("fail.ipynb")["cells"]![1]!["outputs"]![0]!["ename"]);
    }

    [Fact]
    public async Task Lint_missing_newline_and_absolute_reference_fail_before_running()
    {
        using var fixture = new Fixture("lint-missing-newline.ipynb", "lint-absolute-reference.ipynb");
        var swallowed = await Run(fixture, "lint-missing-newline.ipynb");
        Assert.Contains(
            swallowed.Errors,
            e => e.StartsWith("cell 1: source line 1 does not end with", StringComparison.Ordinal) && e.Contains("swallows")
        );
        var absolute = await Run(fixture, "lint-absolute-reference.ipynb");
        Assert.Contains(absolute.Errors, e => e.Contains("absolute path", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tutorial_style_notebook_by_others_checks_against_its_windows_outputs()
    {
        using var fixture = new Fixture("tutorial-style.ipynb");
        var result = await Run(fixture, "tutorial-style.ipynb", RunMode.Check);
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        Assert.Contains(result.Warnings, w => w.Contains("polyglot_notebook.kernelInfo", StringComparison.Ordinal));
    }
}

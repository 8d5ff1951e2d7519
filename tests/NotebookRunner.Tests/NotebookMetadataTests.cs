using System.Text.Json.Nodes;
using NotebookRunner.Checking;
using NotebookRunner.Documents;

namespace NotebookRunner.Tests;

/// <summary>Metadata written by hand: every malformed value is an error that says what was expected and what was found,
/// never an exception out of the runner.</summary>
public sealed class NotebookMetadataTests
{
    static readonly RunOptions Defaults = new() { RelativeTolerance = 1e-9, AbsoluteTolerance = 1e-12 };

    static string Ipynb(string metadata, string cell = """{"cell_type": "markdown", "metadata": {}, "source": ["# x\n"]}""") =>
        $$"""{"nbformat": 4, "nbformat_minor": 5, "metadata": {{{metadata}}}, "cells": [{{cell}}]}""";

    const string Kernel = """
        "kernelspec": {"name": ".net-csharp", "display_name": ".NET (C#)", "language": "C#"},
        "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp", "items": []}}
        """;

    static Notebook Read(string metadata) => IpynbReader.Read("n.ipynb", Ipynb(metadata));

    static JsonObject Metadata(string runner) => Read($"{Kernel}, \"runner\": {runner}").Metadata;

    [Theory]
    [InlineData("""{"tolerance": 1e-3}""", 1e-3, 1e-12)]
    [InlineData("""{"tolerance": {"relative": 1e-3, "absolute": 1e-6}}""", 1e-3, 1e-6)]
    [InlineData("""{"tolerance": {"absolute": 1e-6}}""", 1e-9, 1e-6)]
    [InlineData("""{"tolerance": 0}""", 0, 1e-12)]
    [InlineData("""{"seconds": 12}""", 1e-9, 1e-12)]
    public void Well_formed_tolerances_are_read_and_unset_parts_keep_the_options(string runner, double relative, double absolute)
    {
        var metadata = Metadata(runner);
        Assert.Equal(new Tolerance(relative, absolute), Tolerance.FromNotebook(metadata, Defaults));
        Assert.Null(Tolerance.Problem(metadata));
    }

    [Theory]
    [InlineData("\"loose\"", "metadata.runner: expected an object such as {\"tolerance\": 1e-6}, found \"loose\"")]
    [InlineData("""{"tolerance": "1e-3"}""", "found \"1e-3\"")]
    [InlineData("""{"tolerance": -1e-3}""", "found -1e-3")]
    [InlineData("""{"tolerance": {"rel": 1e-3}}""", "found {\"rel\":1e-3}")]
    [InlineData("""{"tolerance": {"relative": "x"}}""", "found {\"relative\":\"x\"}")]
    [InlineData("""{"tolerance": [1e-3]}""", "found [1e-3]")]
    public void Malformed_tolerances_fall_back_and_the_linter_names_what_it_found(string runner, string expected)
    {
        var metadata = Metadata(runner);
        Assert.Equal(new Tolerance(1e-9, 1e-12), Tolerance.FromNotebook(metadata, Defaults));
        var issue = Assert.Single(Linter.Lint(Read($"{Kernel}, \"runner\": {runner}")), i => i.IsError);
        Assert.Contains(expected, issue.Message, StringComparison.Ordinal);
        if (runner.StartsWith('{'))
            Assert.StartsWith("metadata.runner.tolerance: expected a number ≥ 0 (relative) or {\"relative\": r", issue.Message);
    }

    [Theory]
    [InlineData("\"kernelspec\": \".net-csharp\"")]
    [InlineData("\"kernelspec\": {\"name\": 3}, \"polyglot_notebook\": \"csharp\"")]
    [InlineData("\"polyglot_notebook\": {\"kernelInfo\": 7}")]
    public void Kernel_metadata_of_the_wrong_shape_reads_as_csharp_without_throwing(string metadata)
    {
        var notebook = Read(metadata);
        Assert.Equal("csharp", IpynbReader.DefaultKernelName(notebook.Metadata));
        Assert.Null(IpynbReader.ForeignLanguage(notebook.Metadata));
        Assert.DoesNotContain(Linter.Lint(notebook), i => i.IsError);
    }

    [Fact]
    public void A_cell_with_a_number_for_its_type_is_a_format_error_naming_the_file_and_the_cell()
    {
        var text = Ipynb(Kernel, """{"cell_type": 3, "metadata": {}, "source": []}""");
        var e = Assert.Throws<FormatException>(() => IpynbReader.Read("n.ipynb", text));
        Assert.StartsWith("n.ipynb: cell 1: ", e.Message);
        Assert.Contains("Number", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_reports_a_malformed_runner_setting_as_an_error_of_the_notebook()
    {
        var folder = Directory.CreateTempSubdirectory("metadata-");
        try
        {
            var path = Path.Combine(folder.FullName, "n.ipynb");
            await File.WriteAllTextAsync(path, Ipynb($"{Kernel}, \"runner\": \"loose\""));
            var result = await Runner.RunAsync(path, new RunOptions());
            Assert.Contains(result.Errors, e => e.StartsWith("metadata.runner: expected an object", StringComparison.Ordinal));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

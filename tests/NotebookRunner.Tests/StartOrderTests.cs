using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookRunner.Documents;

namespace NotebookRunner.Tests;

/// <summary>Notebooks run side by side start longest first, by the seconds their last passing update recorded in their
/// metadata; check and run never write it.</summary>
public sealed partial class StartOrderTests
{
    [Fact]
    public void Unrecorded_notebooks_start_first_then_the_longest_and_ties_keep_path_order()
    {
        Assert.Equal([1, 5, 2, 0, 3, 6, 4], StartOrder.Of([10, null, 30, 10, 5, null, 10]));
        Assert.Equal([0, 1, 2], StartOrder.Of([null, null, null]));
        Assert.Equal([2, 1, 0], StartOrder.Of([0, 0.5, 12.4]));
        Assert.Empty(StartOrder.Of([]));
    }

    [Fact]
    public void Seconds_are_read_with_the_notebook_reader_and_a_malformed_value_is_no_record()
    {
        using var fixture = new Fixture("malformed.ipynb", "succeed.dib");
        (string Name, string? Runner)[] notebooks =
        [
            ("a.ipynb", """{"seconds": 40}"""),
            ("b.ipynb", null),
            ("c.ipynb", """{"seconds": "900"}"""),
            ("d.ipynb", """{"seconds": -5}"""),
            ("e.ipynb", """{"seconds": 400, "tolerance": 1e-06}"""),
            ("f.ipynb", """{"tolerance": {"relative": 0.001}, "seconds": 40}"""),
            ("g.ipynb", """{"seconds": 12.6}"""),
            ("h.ipynb", "\"fast\""),
            ("i.ipynb", """{"seconds": null}"""),
            ("j.ipynb", """{"seconds": true}"""),
            ("k.ipynb", """{"seconds": {"value": 500}}"""),
            ("l.ipynb", """{"seconds": 0}"""),
            ("m.ipynb", """{"seconds": 1e400}"""),
            ("n.ipynb", """{"tolerance": 1e-06}"""),
        ];
        foreach (var (name, runner) in notebooks)
        {
            var json = (JsonObject)JsonNode.Parse(File.ReadAllText(Fixture.Source("succeed.ipynb")))!;
            if (runner is not null)
                json["metadata"]!["runner"] = JsonNode.Parse(runner);
            File.WriteAllText(fixture[name], VsCodeJson.Serialize(json));
        }
        string[] paths = [.. notebooks.Select(n => fixture[n.Name]), fixture["malformed.ipynb"], fixture["succeed.dib"]];

        var order = StartOrder.For(paths, jobs: 2).Select(i => Path.GetFileName(paths[i]));

        Assert.Equal(
            [
                "b.ipynb",
                "c.ipynb",
                "d.ipynb",
                "h.ipynb",
                "i.ipynb",
                "j.ipynb",
                "k.ipynb",
                "m.ipynb",
                "n.ipynb",
                "malformed.ipynb",
                "succeed.dib",
                "e.ipynb",
                "a.ipynb",
                "f.ipynb",
                "g.ipynb",
                "l.ipynb",
            ],
            order
        );
        // One job: path order (the same total time, and the report prints each notebook as it runs).
        Assert.Equal(Enumerable.Range(0, paths.Length), StartOrder.For(paths, jobs: 1));
    }

    [Fact]
    public async Task Update_records_whole_seconds_beside_the_tolerance_and_check_and_run_leave_the_file_alone()
    {
        using var fixture = new Fixture("numeric-tolerance.ipynb");
        var path = fixture["numeric-tolerance.ipynb"];
        // A cell that takes 2.6 s, so the record cannot be a constant: at least 3 (rounded), at most the whole run.
        var json = fixture.Json("numeric-tolerance.ipynb");
        json["cells"]!
            .AsArray()
            .Add(
                new JsonObject
                {
                    ["cell_type"] = "code",
                    ["execution_count"] = null,
                    ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
                    ["outputs"] = new JsonArray(),
                    ["source"] = new JsonArray("System.Threading.Thread.Sleep(2600);"),
                }
            );
        File.WriteAllText(path, VsCodeJson.Serialize(json));
        var metadataBefore = json["metadata"]!.DeepClone();

        var updated = await RunnerTests.Run(fixture, "numeric-tolerance.ipynb", RunMode.Update);

        Assert.True(updated.Written, string.Join("\n", updated.Failures));
        var text = File.ReadAllText(path);
        var record = RunnerRecord().Match(text);
        Assert.True(record.Success, text[text.LastIndexOf("\"metadata\"", StringComparison.Ordinal)..]);
        var seconds = int.Parse(record.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 3, (int)Math.Ceiling(updated.Duration.TotalSeconds));
        var metadata = (JsonObject)JsonNode.Parse(text)!["metadata"]!;
        Assert.Equal(seconds, RecordedSeconds.Read(metadata));
        metadata["runner"]!.AsObject().Remove("seconds");
        Assert.True(JsonNode.DeepEquals(metadataBefore, metadata), metadata.ToJsonString());
        Assert.Equal(text, VsCodeJson.Serialize(JsonNode.Parse(text)!));

        var check = await RunnerTests.Run(fixture, "numeric-tolerance.ipynb", RunMode.Check);
        Assert.True(check.Succeeded, string.Join("\n", check.Failures));
        Assert.Equal(text, File.ReadAllText(path));
        await RunnerTests.Run(fixture, "numeric-tolerance.ipynb");
        Assert.Equal(text, File.ReadAllText(path));
    }

    [Fact]
    public async Task A_forced_write_of_a_failed_run_keeps_the_last_record()
    {
        using var fixture = new Fixture("fail.ipynb");
        var json = fixture.Json("fail.ipynb");
        json["metadata"]!["runner"] = new JsonObject { ["seconds"] = 420 };
        File.WriteAllText(fixture["fail.ipynb"], VsCodeJson.Serialize(json));

        var forced = await Runner.RunAsync(fixture["fail.ipynb"], new RunOptions { Mode = RunMode.Update, Force = true });

        Assert.True(forced.Written);
        Assert.Equal("Error", (string?)fixture.Json("fail.ipynb")["cells"]![1]!["outputs"]![0]!["ename"]);
        Assert.Equal(420, RecordedSeconds.Read(fixture.Json("fail.ipynb")["metadata"]!.AsObject()));
    }

    /// <summary>The record as the writer puts it: sorted before the tolerance, one-space indent, a bare whole number.</summary>
    [GeneratedRegex("\n  \"runner\": \\{\n   \"seconds\": ([0-9]+),\n   \"tolerance\": 1e-06\n  \\}\n \\},\n")]
    private static partial Regex RunnerRecord();
}

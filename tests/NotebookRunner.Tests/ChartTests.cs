using System.Text.Json.Nodes;
using NotebookRunner.Execution;

namespace NotebookRunner.Tests;

/// <summary>Charts as this ecosystem makes them, in the real kernel: Plotly.NET from C#, XPlot, and the PNG that update stores.</summary>
public sealed class ChartTests
{
    [Fact]
    public async Task Plotly_net_charts_display_from_csharp_once_fsharp_core_is_bound_to_the_kernels()
    {
        using var fixture = new Fixture("plotly-net.ipynb");
        var result = await RunnerTests.Run(fixture, "plotly-net.ipynb");
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        Assert.Contains("Loading extensions from `", RunnerTests.Text(result.Cells[1]));
        var chart = Assert.IsType<DisplayOutput>(Assert.Single(result.Cells[3].Outputs));
        // Plotly.NET.Interactive's own formatter: the require.js form with plotly.js 2.28.0.
        Assert.Contains("fsharp-plotly", chart.Data["text/html"]);
        Assert.Contains("Plotly.newPlot(", chart.Data["text/html"]);
        Assert.Contains("\"name\":\"line\"", chart.Data["text/html"]);
    }

    [Fact]
    public async Task Without_the_binding_plotly_net_6_cannot_load_fsharp_core_10_1_in_the_kernel()
    {
        using var fixture = new Fixture("plotly-net-without-redirect.ipynb");
        var result = await RunnerTests.Run(fixture, "plotly-net-without-redirect.ipynb");
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        var error = Assert.IsType<ErrorOutput>(Assert.Single(result.Cells[1].Outputs));
        Assert.StartsWith("System.IO.FileNotFoundException: Could not load file or assembly 'FSharp.Core, Version=10.1.0.0", error.EValue);
    }

    [Fact]
    public async Task An_xplot_chart_displays_as_an_object_tree_in_the_kernel()
    {
        using var fixture = new Fixture("xplot.ipynb");
        var result = await RunnerTests.Run(fixture, "xplot.ipynb");
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        var html = Assert.IsType<DisplayOutput>(result.Cells[0].Outputs[^1]).Data["text/html"];
        Assert.Contains(
            "<details open=\"open\" class=\"dni-treeview\"><summary><span class=\"dni-code-hint\"><code>XPlot.Plotly.PlotlyChart</code>",
            html
        );
        Assert.DoesNotContain("newPlot", html);
    }

    [Fact]
    public async Task Update_stores_a_png_of_each_chart_in_its_html_and_bundle_and_check_ignores_it()
    {
        using var fixture = new Fixture("chart.ipynb");
        var updated = await RunnerTests.Run(fixture, "chart.ipynb", RunMode.Update);
        Assert.True(updated.Written, string.Join("\n", updated.Failures.Concat(updated.Warnings)));
        var charts = fixture.Json("chart.ipynb")["cells"]!
            .AsArray()
            .SelectMany(c => c!["outputs"]?.AsArray() ?? [])
            .Select(o => o!["data"] as JsonObject)
            .Where(d =>
                d?["text/html"] is not null && string.Concat(d["text/html"]!.AsArray().Select(l => (string?)l)).Contains("newPlot(")
            )
            .ToList();
        Assert.Equal(2, charts.Count);
        foreach (var data in charts)
        {
            var png = Convert.FromBase64String((string)data!["image/png"]!);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            Assert.True(png.Length > 5_000, $"a {png.Length}-byte picture is too small to hold a chart");
            var html = string.Concat(data["text/html"]!.AsArray().Select(l => (string?)l));
            Assert.Contains($"<img class=\"runner-png\"", html);
            Assert.Contains((string)data["image/png"]!, html);
        }
        var check = await RunnerTests.Run(fixture, "chart.ipynb", RunMode.Check);
        Assert.True(check.Succeeded, string.Join("\n", check.Failures));
    }

    [Fact]
    public async Task The_stored_picture_is_removed_once_plotly_draws_the_chart()
    {
        using var fixture = new Fixture("chart.ipynb");
        var updated = await RunnerTests.Run(fixture, "chart.ipynb", RunMode.Update);
        Assert.True(updated.Written, string.Join("\n", updated.Failures.Concat(updated.Warnings)));
        var html = fixture.Json("chart.ipynb")["cells"]!
            .AsArray()
            .SelectMany(c => c!["outputs"]?.AsArray() ?? [])
            .Select(o => string.Concat((o!["data"]?["text/html"]?.AsArray() ?? []).Select(l => (string?)l)))
            .Last(h => h.Contains("runner-png", StringComparison.Ordinal));
        var plotly = await Export.OfflineAssets.PlotlyAsync(CancellationToken.None);
        var page = Path.Combine(fixture.Folder, "drawn.html");
        // A notebook front end with plotly.js at hand: the chart's script draws, and the picture must go.
        File.WriteAllText(
            page,
            $"<html><head><script src=\"{new Uri(plotly).AbsoluteUri}\"></script><script>window.requirejs=function(d,c){{c(window.Plotly)}};"
                + "requirejs.config=function(){return requirejs};window.require=requirejs;</script></head><body>"
                + html
                + "</body></html>"
        );
        await using var browser = await Browser.StartAsync();
        var drawn = await browser.OpenAsync(page);
        await drawn.WaitForSelectorAsync(".main-svg");
        await drawn.WaitForFunctionAsync("() => document.querySelectorAll('img.runner-png').length === 0");
        var scriptsOff = await browser.OpenAsync(page, scripts: false);
        Assert.True(await scriptsOff.Locator("img.runner-png").IsVisibleAsync());
    }
}

using System.Diagnostics;
using NotebookRunner.Documents;
using NotebookRunner.Export;

namespace NotebookRunner.Tests;

/// <summary>The export is opened in headless Chromium, offline, and plotly.js must have drawn the charts.</summary>
public sealed class HtmlExportTests
{
    static string? FindChromium()
    {
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable("CHROMIUM_PATH"),
            "/usr/bin/chromium",
            "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome",
        };
        return candidates.FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));
    }

    [Fact]
    public async Task Chart_export_renders_offline_in_headless_chromium()
    {
        var chromium = FindChromium();
        if (chromium is null)
            Assert.Fail(
                "Headless Chromium is required for this test and was not found (install the 'chromium' package or set CHROMIUM_PATH)."
            );

        using var fixture = new Fixture("chart.ipynb");
        var result = await Runner.RunAsync(fixture["chart.ipynb"]);
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        var html = await HtmlExporter.ExportAsync(
            NotebookReader.Read(fixture["chart.ipynb"]),
            result,
            Path.Combine(fixture.Folder, "html")
        );
        var page = await File.ReadAllTextAsync(html);
        Assert.DoesNotContain("https://cdn.plot.ly", page);
        Assert.DoesNotContain("cdnjs.cloudflare.com", page);

        var profile = Path.Combine(fixture.Folder, "chromium-profile");
        var start = new ProcessStartInfo(
            chromium!,
            [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                $"--user-data-dir={profile}",
                "--virtual-time-budget=15000",
                "--dump-dom",
                new Uri(html).AbsoluteUri,
            ]
        )
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var dom = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        var rendered = await dom;
        Assert.Equal(2, CountOccurrences(rendered, "plot-container plotly"));
        Assert.Contains("main-svg", rendered);
    }

    [Fact]
    public void Cdn_paths_in_chart_scripts_point_at_the_local_copies()
    {
        var html =
            "paths:{plotly:'https://cdn.plot.ly/plotly-2.28.0.min'}} <script src=\"https://cdn.plot.ly/plotly-2.6.3.min.js\"></script>"
            + " script.setAttribute(\"src\", \"https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js\");";
        Assert.Equal(
            "paths:{plotly:'vendor/plotly-amd'}} <script src=\"vendor/plotly.min.js\"></script> script.setAttribute(\"src\", \"vendor/require.js\");",
            HtmlExporter.Offline(html)
        );
    }

    static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (
            var i = text.IndexOf(value, StringComparison.Ordinal);
            i >= 0;
            i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal)
        )
            count++;
        return count;
    }
}

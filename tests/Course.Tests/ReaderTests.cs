using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Course.Tests;

/// <summary>
/// Each chapter as a reader sees it where no script runs (GitHub, nbviewer): converted by Debian's jupyter-nbconvert,
/// opened in Chromium with JavaScript off; every stored chart must show its picture.
/// </summary>
public sealed class ReaderTests
{
    [Theory]
    [MemberData(nameof(ChapterTests.Chapters), MemberType = typeof(ChapterTests))]
    public async Task Every_chart_shows_its_picture_with_scripts_off(string notebook)
    {
        var path = Path.Combine(ChapterTests.NotebooksFolder(), notebook);
        var charts = StoredCharts(path);
        var folder = Directory.CreateTempSubdirectory("reader-").FullName;
        try
        {
            var html = await NbconvertAsync(path, folder);
            var chromium =
                new[] { Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium" }.FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("The reader test needs Debian's chromium (.ci/run installs it) or CHROMIUM_PATH.");
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(
                new()
                {
                    ExecutablePath = chromium,
                    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
                }
            );
            var context = await browser.NewContextAsync(
                new()
                {
                    JavaScriptEnabled = false,
                    ViewportSize = new() { Width = 1200, Height = 900 },
                }
            );
            await context.RouteAsync(
                "**/*",
                route => route.Request.Url.StartsWith("file:", StringComparison.Ordinal) ? route.ContinueAsync() : route.AbortAsync()
            );
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(html).AbsoluteUri);
            var pictures = page.Locator("img.runner-png");
            Assert.Equal(charts, await pictures.CountAsync());
            for (var i = 0; i < charts; i++)
            {
                var picture = pictures.Nth(i);
                await picture.ScrollIntoViewIfNeededAsync();
                Assert.True(await picture.IsVisibleAsync(), $"{notebook}: chart {i + 1}'s picture is hidden");
                var box = await picture.BoundingBoxAsync();
                Assert.True(box is { Width: > 200, Height: > 150 }, $"{notebook}: chart {i + 1}'s picture is {box?.Width}×{box?.Height}");
                Assert.True(
                    await picture.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"),
                    $"{notebook}: chart {i + 1}'s picture did not decode"
                );
            }
            var shots = Environment.GetEnvironmentVariable("READER_SCREENSHOTS");
            if (!string.IsNullOrEmpty(shots))
            {
                Directory.CreateDirectory(shots);
                await page.ScreenshotAsync(
                    new() { Path = Path.Combine(shots, Path.GetFileNameWithoutExtension(notebook) + ".png"), FullPage = true }
                );
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>How many displays of the notebook hold a Plotly chart.</summary>
    static int StoredCharts(string path) =>
        JsonNode.Parse(File.ReadAllText(path))!["cells"]!
            .AsArray()
            .SelectMany(c => c!["outputs"]?.AsArray() ?? [])
            .Count(o =>
                string.Concat((o!["data"]?["text/html"]?.AsArray() ?? []).Select(l => (string?)l))
                    .Contains("newPlot(", StringComparison.Ordinal)
            );

    static async Task<string> NbconvertAsync(string notebook, string folder)
    {
        var start = new ProcessStartInfo("jupyter-nbconvert", ["--to", "html", "--output-dir", folder, notebook])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("The reader test needs Debian's jupyter-nbconvert (.ci/run installs it).", e);
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"nbconvert failed: {await error}");
        }
        return Path.Combine(folder, Path.GetFileNameWithoutExtension(notebook) + ".html");
    }
}

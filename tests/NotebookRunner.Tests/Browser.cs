using Microsoft.Playwright;
using NotebookRunner.Charts;

namespace NotebookRunner.Tests;

/// <summary>Debian's chromium driven by Playwright (no browser download); every request that is not a local file is
/// refused and recorded, so a page that needs the network shows it.</summary>
sealed class Browser : IAsyncDisposable
{
    readonly IPlaywright _playwright;
    readonly IBrowser _browser;

    Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public List<string> Refused { get; } = [];

    public static async Task<Browser> StartAsync()
    {
        var chromium =
            Chromium.Find()
            ?? throw new InvalidOperationException("These tests need Debian's chromium (.ci/run installs it) or CHROMIUM_PATH.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(
            new()
            {
                ExecutablePath = chromium,
                Args = [.. Chromium.HeadlessFlags.Where(f => f != "--headless")],
                Headless = true,
            }
        );
        return new Browser(playwright, browser);
    }

    public async Task<IPage> OpenAsync(string file, bool scripts = true)
    {
        var context = await _browser.NewContextAsync(
            new()
            {
                JavaScriptEnabled = scripts,
                ViewportSize = new() { Width = 1200, Height = 900 },
            }
        );
        await context.RouteAsync(
            "**/*",
            route =>
            {
                if (route.Request.Url.StartsWith("file:", StringComparison.Ordinal))
                    return route.ContinueAsync();
                lock (Refused)
                    Refused.Add(route.Request.Url);
                return route.AbortAsync();
            }
        );
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(file).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

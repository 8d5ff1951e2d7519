namespace NotebookRunner.Tests;

/// <summary>The exported site in Chromium: every page loads offline, every chart draws, every link resolves.</summary>
[Collection(ProcessWide.Name)]
public sealed class SiteExportTests
{
    [Fact]
    public async Task The_site_works_offline_its_charts_draw_and_its_links_resolve()
    {
        using var fixture = new Fixture("chart.ipynb", "succeed.ipynb");
        var site = Path.Combine(fixture.Folder, "site");
        var (exit, output) = CliTests.Cli("export", fixture["chart.ipynb"], fixture["succeed.ipynb"], "-o", site, "--plain");
        Assert.True(exit == 0, output);
        await using var browser = await Browser.StartAsync();

        var index = await browser.OpenAsync(Path.Combine(site, "index.html"));
        Assert.Equal("Contents", await index.TitleAsync());
        var rows = index.Locator("table.contents tbody tr");
        Assert.Equal(2, await rows.CountAsync());
        Assert.Equal("Charts", await rows.Nth(0).Locator("td a").InnerTextAsync());
        Assert.StartsWith("A Plotly.NET chart shown by Plotly.NET.Interactive", await rows.Nth(0).Locator("td").Nth(1).InnerTextAsync());

        var chart = await browser.OpenAsync(Path.Combine(site, "chart.html"));
        Assert.Equal("Charts", await chart.TitleAsync());
        await chart.WaitForFunctionAsync("() => document.querySelectorAll('.plot-container .main-svg').length >= 2");
        Assert.Equal(2, await chart.Locator("div.js-plotly-plot").CountAsync());
        Assert.True(await chart.Locator("code.language-csharp.hljs").CountAsync() > 0, "C# is highlighted");
        Assert.Equal("succeed.html", await chart.Locator("a[rel=next]").First.GetAttributeAsync("href"));

        var links = new List<string>(); // the site's own links (plotly's mode bar links to plotly.com)
        foreach (var page in Directory.GetFiles(site, "*.html"))
        {
            var opened = await browser.OpenAsync(page);
            foreach (
                var href in await opened
                    .Locator("a[href]")
                    .EvaluateAllAsync<string[]>("links => links.filter(a => !a.closest('.js-plotly-plot')).map(a => a.href)")
            )
                links.Add(href);
        }
        Assert.NotEmpty(links);
        Assert.All(links, l => Assert.True(File.Exists(new Uri(l).LocalPath), $"broken link {l}"));
        Assert.Empty(browser.Refused);
    }
}

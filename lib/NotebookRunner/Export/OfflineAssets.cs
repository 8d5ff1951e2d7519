using System.Diagnostics;

namespace NotebookRunner.Export;

/// <summary>
/// plotly.js, require.js and highlight.js for offline pages and chart pictures, fetched once with npm
/// (<c>plotly.js-dist-min@2</c>, the line Plotly.NET 6 and XPlot target; <c>requirejs@2</c>;
/// <c>@highlightjs/cdn-assets@11</c>) into a cache folder that is never committed:
/// <c>$NOTEBOOK_RUNNER_NPM_CACHE</c>, else <c>~/.cache/notebook-runner/npm</c>.
/// </summary>
public static class OfflineAssets
{
    public const string PlotlyFile = "plotly.min.js";
    public const string RequireFile = "require.js";
    public const string HighlightFile = "highlight.min.js";
    public const string HighlightCsharpFile = "csharp.min.js";
    public const string HighlightStyleFile = "github.min.css";

    /// <summary>The module require.js loads for "plotly": hands over the Plotly global the page's script tag created.</summary>
    public const string PlotlyModuleFile = "plotly-amd.js";

    static readonly string[] Packages = ["plotly.js-dist-min@2", "requirejs@2", "@highlightjs/cdn-assets@11"];

    public static string CacheFolder =>
        Environment.GetEnvironmentVariable("NOTEBOOK_RUNNER_NPM_CACHE")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "notebook-runner", "npm");

    static string Module(params string[] parts) => Path.Combine([CacheFolder, "node_modules", .. parts]);

    static readonly (string Source, string Name)[] Files =
    [
        (Module("plotly.js-dist-min", "plotly.min.js"), PlotlyFile),
        (Module("requirejs", "require.js"), RequireFile),
        (Module("@highlightjs", "cdn-assets", "highlight.min.js"), HighlightFile),
        (Module("@highlightjs", "cdn-assets", "languages", "csharp.min.js"), HighlightCsharpFile),
        (Module("@highlightjs", "cdn-assets", "styles", "github.min.css"), HighlightStyleFile),
    ];

    /// <summary>The local plotly.min.js, installed first if needed.</summary>
    public static async Task<string> PlotlyAsync(CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        return Files[0].Source;
    }

    /// <summary>Copies every file into <paramref name="vendorFolder"/>, running npm install first if the cache lacks them.</summary>
    public static async Task CopyToAsync(string vendorFolder, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        Directory.CreateDirectory(vendorFolder);
        foreach (var (source, name) in Files)
            File.Copy(source, Path.Combine(vendorFolder, name), overwrite: true);
        File.WriteAllText(Path.Combine(vendorFolder, PlotlyModuleFile), "define([], function () { return window.Plotly; });\n");
    }

    static async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (Files.All(f => File.Exists(f.Source)))
            return;
        Directory.CreateDirectory(CacheFolder);
        var start = new ProcessStartInfo("npm", ["install", "--prefix", CacheFolder, "--no-audit", "--no-fund", "--no-save", .. Packages])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("npm did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"npm is needed to fetch plotly.js, require.js and highlight.js: {e.Message}", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
                throw new InvalidOperationException(
                    $"npm install {string.Join(' ', Packages)} failed ({process.ExitCode}): {await error}{await output}"
                );
        }
        if (Files.FirstOrDefault(f => !File.Exists(f.Source)) is { Source: var missing } && missing is not null)
            throw new InvalidOperationException($"Expected {missing} after npm install but it is missing.");
    }
}

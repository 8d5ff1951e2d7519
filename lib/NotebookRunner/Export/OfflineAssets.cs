using System.Diagnostics;

namespace NotebookRunner.Export;

/// <summary>
/// plotly.js and require.js for offline pages, fetched once with npm (packages plotly.js-dist-min@2, the line Plotly.NET and XPlot target, and requirejs) into a
/// cache folder that is never committed: $NOTEBOOK_RUNNER_NPM_CACHE, else ~/.cache/notebook-runner/npm.
/// </summary>
public static class OfflineAssets
{
    public const string PlotlyFile = "plotly.min.js";
    public const string RequireFile = "require.js";

    /// <summary>The module require.js loads for "plotly": hands over the Plotly global the page's script tag created.</summary>
    public const string PlotlyModuleFile = "plotly-amd.js";

    public static string CacheFolder =>
        Environment.GetEnvironmentVariable("NOTEBOOK_RUNNER_NPM_CACHE")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "notebook-runner", "npm");

    /// <summary>Copies both files into <paramref name="vendorFolder"/>, running npm install first if the cache lacks them.</summary>
    public static async Task CopyToAsync(string vendorFolder, CancellationToken cancellationToken)
    {
        var plotly = Path.Combine(CacheFolder, "node_modules", "plotly.js-dist-min", "plotly.min.js");
        var require = Path.Combine(CacheFolder, "node_modules", "requirejs", "require.js");
        if (!File.Exists(plotly) || !File.Exists(require))
            await NpmInstallAsync(cancellationToken);
        if (!File.Exists(plotly) || !File.Exists(require))
            throw new InvalidOperationException($"Expected {plotly} and {require} after npm install but they are missing.");
        Directory.CreateDirectory(vendorFolder);
        File.Copy(plotly, Path.Combine(vendorFolder, PlotlyFile), overwrite: true);
        File.Copy(require, Path.Combine(vendorFolder, RequireFile), overwrite: true);
        File.WriteAllText(Path.Combine(vendorFolder, PlotlyModuleFile), "define([], function () { return window.Plotly; });\n");
    }

    static async Task NpmInstallAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(CacheFolder);
        var start = new ProcessStartInfo(
            "npm",
            ["install", "--prefix", CacheFolder, "--no-audit", "--no-fund", "--no-save", "plotly.js-dist-min@2", "requirejs@2"]
        )
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
            throw new InvalidOperationException($"HTML export needs npm to fetch plotly.js and require.js: {e.Message}", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"npm install failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}

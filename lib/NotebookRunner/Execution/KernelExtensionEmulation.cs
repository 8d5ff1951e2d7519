namespace NotebookRunner.Execution;

/// <summary>
/// Packages the runner provides itself. The *.Interactive chart packages are kernel extensions that need the retired
/// kernel; the runner loads the chart library they wrap and registers the same text/html formatter they register.
/// </summary>
public static class KernelExtensionEmulation
{
    /// <summary>The package to really load (null: nothing to load) and C# to run once after it is referenced.</summary>
    public sealed record Plan(PackageRequest? Package, string? SetupCode, string? Note);

    public static Plan For(PackageRequest request) =>
        request.Id.ToLowerInvariant() switch
        {
            "plotly.net.interactive" => new Plan(
                new PackageRequest("Plotly.NET", null),
                """
                Microsoft.DotNet.Interactive.Formatting.Formatter.Register<Plotly.NET.GenericChart>(
                    (chart, writer) => writer.Write(Plotly.NET.GenericChart.toChartHTML(Plotly.NET.GenericChart.addDisplayOptions(
                        Plotly.NET.DisplayOptions.init(null, null, null, null, null, null,
                            Microsoft.FSharp.Core.FSharpOption<Plotly.NET.PlotlyJSReference>.Some(
                                Plotly.NET.PlotlyJSReference.NewRequire(NotebookRunner.Kernel.ChartHtml.PlotlyNetCdn))),
                        chart))),
                    "text/html");
                """,
                "Plotly.NET.Interactive is emulated: Plotly.NET is loaded and GenericChart is formatted as the extension does (require.js, plotly.js from the CDN)."
            ),
            "xplot.plotly.interactive" => new Plan(
                new PackageRequest("XPlot.Plotly", null),
                """
                Microsoft.DotNet.Interactive.Formatting.Formatter.Register<XPlot.Plotly.PlotlyChart>(
                    (chart, writer) => writer.Write(NotebookRunner.Kernel.ChartHtml.XPlot(chart.Id, chart.Width, chart.Height, chart.GetInlineJS())),
                    "text/html");
                """,
                "XPlot.Plotly.Interactive is emulated: XPlot.Plotly is loaded and PlotlyChart is formatted as the extension does."
            ),
            "microsoft.dotnet.interactive.formatting" or "microsoft.dotnet.interactive" or "microsoft.dotnet.interactive.csharp" =>
                new Plan(null, null, $"{request.Id} is provided by the runner."),
            _ => new Plan(request, null, null),
        };
}

using Microsoft.DotNet.Interactive.Formatting;
using MnistNotebooks.Charting;
using MnistNotebooks.Formatting;

namespace MnistNotebooks.Tests.Charts;

/// <summary>Formatter registrations are process-wide, so every formatter test lives in this one (serial) class.</summary>
public sealed class FormattersTests
{
    public FormattersTests() => Formatters.Register();

    [Fact]
    public void MatrixHtmlShowsShapeStatsAndACutCorner()
    {
        var m = new Matrix<float>(10, 20);
        m[0, 1] = 1.5f;
        m[9, 19] = float.NaN;

        string html = Formatter.ToDisplayString(m, "text/html");

        Assert.Contains("Matrix<float> (10, 20)", html);
        Assert.Contains("[1 NaN/±∞]", html);
        Assert.Contains(">1.5</td>", html);
        Assert.Contains(">…</td>", html);
        Assert.Contains(">⋮</td>", html);
        Assert.Equal(MatrixFormatter.PreviewRows + 2, html.Split("<tr>").Length - 1); // header + rows + ⋮
    }

    [Fact]
    public void MatrixPlainTextShowsShapeAndInvariantNumbers()
    {
        var m = Matrix<float>.FromArray(
            new float[,]
            {
                { 0.25f, -1 },
                { 2, 3 },
            }
        );

        string text = Formatter.ToDisplayString(m, "text/plain");

        Assert.StartsWith("Matrix<float> (2, 2) min -1 max 3 mean 1.062", text);
        Assert.Contains("0.25", text);
        Assert.DoesNotContain("…", text);
    }

    [Fact]
    public void ChartHtmlIsWrittenAsIs()
    {
        ChartHtml gallery = Charting.Charts.DigitGallery([new Digit(new float[784], Label: 1)]);
        Assert.Equal(gallery.Html, Formatter.ToDisplayString(gallery, "text/html"));
    }

    [Fact]
    public void DigitShowsAsAnImageWithItsCaption()
    {
        string html = Formatter.ToDisplayString(new Digit(new float[784], Label: 4, Predicted: 9), "text/html");
        Assert.Contains("data:image/png;base64,", html);
        Assert.Contains("true 4 / pred 9", html);
    }

    [Fact]
    /// <summary>Without the Plotly.NET.Interactive extension (as here), a fallback draws Plotly.NET charts in its form.</summary>
    public void XPlotAndPlotlyNetChartsUseTheRequireForm()
    {
        var xplot = XPlot.Plotly.Chart.Line(new[] { Tuple.Create(1.0, 2.0) });
        Assert.Contains($"paths:{{plotly:'{ChartHtml.PlotlyRequirePath}'}}", Formatter.ToDisplayString(xplot, "text/html"));
        Assert.Contains(
            $"paths:{{plotly:'{ChartHtml.PlotlyRequirePath}'}}",
            Formatter.ToDisplayString(Plotly.NET.Chart.Invisible(), "text/html")
        );
    }

    [Fact]
    public void RegisterIsIdempotentAndOtherTypesCanBeAdded()
    {
        Formatters.Register();
        Formatters.RegisterHtml<Sample>(s => $"<b>{s.Name}</b>");
        Assert.Equal("<b>x</b>", Formatter.ToDisplayString(new Sample("x"), "text/html"));
        Assert.Contains("Matrix<float> (1, 1)", Formatter.ToDisplayString(new Matrix<float>(1, 1), "text/html"));
    }

    [Fact]
    public void RegisterAgainAfterAResetRestoresTheFormatters()
    {
        ChartHtml chart = Charting.Charts.DigitGallery([new Digit(new float[784], Label: 1)]);
        Formatter.ResetToDefault();
        Assert.NotEqual(chart.Html, Formatter.ToDisplayString(chart, "text/html"));

        Formatters.Register();
        Formatters.Register();

        Assert.Equal(chart.Html, Formatter.ToDisplayString(chart, "text/html"));
        Assert.Single(Formatter.RegisteredFormatters(false), f => f.Type == typeof(ChartHtml) && f.MimeType == "text/html");
    }

    private sealed record Sample(string Name);
}

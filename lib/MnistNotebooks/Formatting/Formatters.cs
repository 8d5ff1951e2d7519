using Microsoft.DotNet.Interactive.Formatting;
using MnistNotebooks.Charting;

namespace MnistNotebooks.Formatting;

/// <summary>Registers the notebook displays: Matrix (text/html and text/plain), ChartHtml, Digit, History, and XPlot charts
/// drawn (the kernel has no XPlot extension: without this they show as an object tree). Plotly.NET charts are shown by the
/// Plotly.NET.Interactive extension; only where it is not loaded does a fallback of the same form stand in. Call
/// <see cref="Register"/> once in a notebook's first cell; other types add theirs with <see cref="RegisterHtml{T}"/>.</summary>
public static class Formatters
{
    public const string HtmlMimeType = "text/html";
    public const string PlainTextMimeType = "text/plain";

    private static readonly object s_gate = new();

    /// <summary>
    /// Registers every formatter of the library; calling it again does nothing, unless
    /// <c>Formatter.ResetToDefault()</c> dropped them in between, then it registers them again.
    /// </summary>
    public static void Register()
    {
        lock (s_gate)
        {
            if (IsRegistered())
                return;
            RegisterHtml<Matrix<float>>(m => MatrixFormatter.ToHtml(m));
            RegisterPlainText<Matrix<float>>(m => MatrixFormatter.ToPlainText(m));
            RegisterHtml<Matrix<double>>(m => MatrixFormatter.ToHtml(m));
            RegisterPlainText<Matrix<double>>(m => MatrixFormatter.ToPlainText(m));
            RegisterHtml<ChartHtml>(chart => chart.Html);
            RegisterPlainText<ChartHtml>(chart => chart.Html);
            RegisterHtml<Digit>(digit => digit.ToHtml(scale: 3));
            if (!Formatter.RegisteredFormatters(false).Any(f => f.Type == typeof(Plotly.NET.GenericChart) && f.MimeType == HtmlMimeType))
            {
                RegisterHtml<Plotly.NET.GenericChart>(chart => ChartHtml.FromPlotlyNet(chart).Html);
            }
            RegisterHtml<XPlot.Plotly.PlotlyChart>(chart => ChartHtml.FromXPlot(chart).Html);
            RegisterHtml<Doctor.DoctorReport>(r => r.ToHtml());
            RegisterPlainText<Doctor.DoctorReport>(r => r.ToString());
            RegisterHtml<Training.History>(HistoryFormatter.ToHtml);
            RegisterPlainText<Training.History>(HistoryFormatter.ToPlainText);
        }
    }

    /// <summary>True when the ChartHtml text/html formatter is in place.</summary>
    private static bool IsRegistered() =>
        Formatter.RegisteredFormatters(false).Any(f => f.Type == typeof(ChartHtml) && f.MimeType == HtmlMimeType);

    /// <summary>Shows <typeparamref name="T"/> as the HTML <paramref name="toHtml"/> returns (written as is, not escaped).</summary>
    public static void RegisterHtml<T>(Func<T, string> toHtml)
    {
        ArgumentNullException.ThrowIfNull(toHtml);
        Formatter.Register<T>((value, writer) => writer.Write(toHtml(value)), HtmlMimeType);
    }

    /// <summary>Shows <typeparamref name="T"/> as plain text.</summary>
    public static void RegisterPlainText<T>(Func<T, string> toText)
    {
        ArgumentNullException.ThrowIfNull(toText);
        Formatter.Register<T>((value, writer) => writer.Write(toText(value)), PlainTextMimeType);
    }
}

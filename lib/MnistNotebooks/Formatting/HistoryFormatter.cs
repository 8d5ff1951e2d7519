using System.Globalization;
using System.Net;
using System.Text;
using MnistNotebooks.Charting;
using MnistNotebooks.Training;

namespace MnistNotebooks.Formatting;

/// <summary>Displays a training <see cref="History"/>: how it ended, a table of epochs, and the loss curve
/// (per step when steps were recorded, else per epoch; log-y so an exploding loss stays readable).</summary>
public static class HistoryFormatter
{
    /// <summary>The HTML display: a summary line, the epoch table and the loss chart.</summary>
    public static string ToHtml(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var html = new StringBuilder();
        html.Append("<div><p><b>").Append(WebUtility.HtmlEncode(Summary(history))).Append("</b></p>");
        html.Append("<table><thead><tr><th>epoch</th><th>steps</th><th>train loss</th><th>train acc</th>")
            .Append("<th>val loss</th><th>val acc</th><th>seconds</th></tr></thead><tbody>");
        foreach (EpochRecord e in history.Epochs)
        {
            html.Append("<tr><td>")
                .Append(e.Epoch.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td>")
                .Append(e.Steps.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td>")
                .Append(Number(e.TrainLoss))
                .Append("</td><td>")
                .Append(Percent(e.TrainAccuracy))
                .Append("</td><td>")
                .Append(e.HasValidation ? Number(e.ValidationLoss) : "")
                .Append("</td><td>")
                .Append(e.HasValidation ? Percent(e.ValidationAccuracy) : "")
                .Append("</td><td>")
                .Append(e.WallTime.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture))
                .Append("</td></tr>");
        }
        html.Append("</tbody></table>");
        if (LossChart(history) is { } chart)
        {
            html.Append(ChartHtml.FromPlotlyNet(chart).Html);
        }
        return html.Append("</div>").ToString();
    }

    /// <summary>The plain-text display: one line per epoch and how training ended.</summary>
    public static string ToPlainText(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return history.ToString();
    }

    /// <summary>Loss per step (when recorded) or per epoch, with the validation loss when there is one; null when empty.</summary>
    public static Plotly.NET.GenericChart? LossChart(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Steps.Count > 0)
        {
            return Charts.Line(
                new[] { new Series("train loss (per step)", history.Steps.Select(s => (double)s.Loss)) },
                title: "Training loss",
                xTitle: "step",
                yTitle: "loss",
                logY: true
            );
        }
        if (history.Epochs.Count == 0)
        {
            return null;
        }
        var series = new List<Series>
        {
            Series.WithX("train loss", history.Epochs.Select(e => (double)e.Epoch), history.Epochs.Select(e => e.TrainLoss)),
        };
        if (history.Epochs.Any(e => e.HasValidation))
        {
            series.Add(
                Series.WithX("validation loss", history.Epochs.Select(e => (double)e.Epoch), history.Epochs.Select(e => e.ValidationLoss))
            );
        }
        return Charts.Line(series, title: "Loss per epoch", xTitle: "epoch", yTitle: "loss", logY: true);
    }

    private static string Summary(History h) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{h.StopReason}: {h.StopMessage} — {h.TrainingCount} training rows, batch {h.BatchSize}, {h.Elapsed.TotalSeconds:F1} s"
        );

    private static string Number(double v) => v.ToString("G5", CultureInfo.InvariantCulture);

    private static string Percent(double v) => double.IsNaN(v) ? "" : (v * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";
}

using System.Globalization;
using System.Text.Json.Nodes;
using MnistNotebooks.Metrics;
using Plotly.NET;

namespace MnistNotebooks.Charting;

public static partial class Charts
{
    /// <summary>A reliability diagram: for each model, accuracy against mean confidence in each non-empty bin of its
    /// <see cref="Calibration"/> (markers joined by a line, the bin's count on hover, the ECE in the legend), over the
    /// diagonal accuracy = confidence of a perfectly calibrated model. Points below the diagonal are over-confident.</summary>
    public static GenericChart Reliability(
        IEnumerable<(string Name, Calibration Calibration)> models,
        string? title = "Reliability diagram",
        int width = 560,
        int height = 500
    )
    {
        ArgumentNullException.ThrowIfNull(models);
        var data = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "scatter",
                ["mode"] = "lines",
                ["name"] = "perfect calibration",
                ["x"] = PlotlyJson.Numbers([0.0, 1.0]),
                ["y"] = PlotlyJson.Numbers([0.0, 1.0]),
                ["line"] = new JsonObject { ["dash"] = "dash", ["color"] = "gray" },
            },
        };
        foreach ((string name, Calibration calibration) in models)
        {
            ArgumentNullException.ThrowIfNull(calibration, nameof(models));
            ReliabilityBin[] bins = calibration.Bins.Where(b => b.Count > 0).ToArray();
            data.Add(
                new JsonObject
                {
                    ["type"] = "scatter",
                    ["mode"] = "lines+markers",
                    ["name"] = string.Create(CultureInfo.InvariantCulture, $"{name} (ECE {calibration.ExpectedCalibrationError:0.0000})"),
                    ["x"] = PlotlyJson.Numbers(bins.Select(b => b.MeanConfidence)),
                    ["y"] = PlotlyJson.Numbers(bins.Select(b => b.Accuracy)),
                    ["text"] = PlotlyJson.Strings(
                        bins.Select(b => string.Create(CultureInfo.InvariantCulture, $"[{b.Low:0.###}, {b.High:0.###}): {b.Count}"))
                    ),
                    ["hovertemplate"] = "%{text}<br>confidence %{x:.4f}, accuracy %{y:.4f}",
                }
            );
        }
        var layout = PlotlyJson.Layout(title, "mean confidence in the bin", "accuracy in the bin", logY: false, width, height);
        layout["showlegend"] = true;
        layout["legend"] = new JsonObject { ["x"] = 0.02, ["y"] = 0.98 };
        return PlotlyNetChart.Create(data, layout);
    }

    /// <summary>The reliability diagram of one model.</summary>
    public static GenericChart Reliability(
        Calibration calibration,
        string name = "model",
        string? title = "Reliability diagram",
        int width = 560,
        int height = 500
    ) => Reliability([(name, calibration)], title, width, height);
}

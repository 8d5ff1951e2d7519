using System.Globalization;
using Microsoft.DotNet.Interactive.Formatting;
using MnistNotebooks.Formatting;
using MnistNotebooks.Initialization;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Optimizers;
using MnistNotebooks.Randomness;
using MnistNotebooks.Training;

namespace MnistNotebooks.Tests.Charts;

public sealed class HistoryFormatterTests
{
    public HistoryFormatterTests() => Formatters.Register();

    private static History TrainTiny(bool recordSteps)
    {
        var rng = new RandomState(3);
        var x = new Matrix<float>(40, 2);
        var labels = new int[40];
        for (int i = 0; i < 40; i++)
        {
            labels[i] = i % 2;
            x[i, 0] = (float)rng.RandomSample() + labels[i];
            x[i, 1] = (float)rng.RandomSample() - labels[i];
        }
        var model = new Sequential(new Dense(2, 2, rng, new XavierUniform()));
        var trainer = new Trainer(
            model,
            new SoftmaxCrossEntropy(),
            new Sgd(model.Parameters, 0.5f),
            new TrainerOptions
            {
                Epochs = 3,
                BatchSize = 10,
                RecordSteps = recordSteps,
            }
        );
        return trainer.Fit(x, labels);
    }

    [Fact]
    public void HtmlHasOneRowPerEpochAndTheLossCurve()
    {
        History history = TrainTiny(recordSteps: false);

        string html = Formatter.ToDisplayString(history, "text/html");

        Assert.Contains("Completed", html);
        Assert.Equal(3, html.Split("<tr><td>").Length - 1);
        Assert.Contains(history.Epochs[2].TrainLoss.ToString("G5", CultureInfo.InvariantCulture), html);
        Assert.Contains("Loss per epoch", html);
        Assert.Contains("Plotly.newPlot", html);
    }

    [Fact]
    public void RecordedStepsAreChartedPerStep()
    {
        History history = TrainTiny(recordSteps: true);

        Assert.Equal(12, history.Steps.Count);
        Assert.Contains("train loss (per step)", Formatter.ToDisplayString(history, "text/html"));
        Assert.Equal(history.ToString(), Formatter.ToDisplayString(history, "text/plain"));
    }
}

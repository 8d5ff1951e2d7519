using MnistNotebooks.Charting;

namespace MnistNotebooks.Tests.Charts;

public sealed class ChartsTests
{
    [Fact]
    public void LineChartCarriesEverySeriesAndTurnsNonFiniteIntoGaps()
    {
        var chart = Charting.Charts.Line(
            [new Series("train", [2.3, 1.1, double.NaN, 1e30, double.PositiveInfinity]), new Series("test", [2.0f, 0.5f])],
            title: "loss",
            yTitle: "loss"
        );

        var payload = PlotlyPayload.Parse(chart);

        Assert.Equal(2, payload.Data.Count);
        var train = payload.Data[0]!;
        Assert.Equal("scatter", (string?)train["type"]);
        Assert.Equal("lines", (string?)train["mode"]);
        Assert.Equal("train (2 non-finite dropped)", (string?)train["name"]);
        Assert.Equal(new double?[] { 0, 1, 2, 3, 4 }, PlotlyPayload.Numbers(train["x"]));
        Assert.Equal(new double?[] { 2.3, 1.1, null, 1e30, null }, PlotlyPayload.Numbers(train["y"]));
        var test = payload.Data[1]!;
        Assert.Equal("test", (string?)test["name"]);
        Assert.Equal(new double?[] { 2.0, 0.5 }, PlotlyPayload.Numbers(test["y"]));
        Assert.Equal("loss", (string?)payload.Layout["title"]!["text"]);
        Assert.Null(payload.Layout["yaxis"]!["type"]);
    }

    [Fact]
    public void SeriesWithXKeepsXAndYApart()
    {
        var payload = PlotlyPayload.Parse(Charting.Charts.Line([Series.WithX("acc", [1, 2, 3], [0.5, 0.8, 0.9])], xTitle: "epoch"));
        Assert.Equal(new double?[] { 1, 2, 3 }, PlotlyPayload.Numbers(payload.Data[0]!["x"]));
        Assert.Equal(new double?[] { 0.5, 0.8, 0.9 }, PlotlyPayload.Numbers(payload.Data[0]!["y"]));
        Assert.Throws<ArgumentException>(() => Series.WithX("acc", [1, 2], [0.5]));
    }

    [Fact]
    public void LogYDropsValuesAtOrBelowZeroAndSetsTheAxisType()
    {
        var chart = Charting.Charts.Line("loss", new[] { 1f, 0f, -1f, 1e30f }, logY: true);

        var payload = PlotlyPayload.Parse(chart);

        Assert.Equal("log", (string?)payload.Layout["yaxis"]!["type"]);
        Assert.Equal(new double?[] { 1, null, null, 1e30 }, PlotlyPayload.Numbers(payload.Data[0]!["y"]));
        Assert.Equal("loss (2 non-finite or ≤ 0 dropped)", (string?)payload.Data[0]!["name"]);
    }

    [Fact]
    public void LogXSetsTheAxisTypeAndDropsPointsAtOrBelowZero()
    {
        var chart = Charting.Charts.Line([Series.WithX("loss", [0, 1e-3, 0.1], [2.3, 2.2, 0.5])], logX: true);

        var payload = PlotlyPayload.Parse(chart);

        Assert.Equal("log", (string?)payload.Layout["xaxis"]!["type"]);
        Assert.Equal(new double?[] { 1e-3, 0.1 }, PlotlyPayload.Numbers(payload.Data[0]!["x"]));
        Assert.Equal(new double?[] { 2.2, 0.5 }, PlotlyPayload.Numbers(payload.Data[0]!["y"]));
        Assert.Equal("loss (1 non-finite or ≤ 0 dropped)", (string?)payload.Data[0]!["name"]);
        Assert.Null(PlotlyPayload.Parse(Charting.Charts.Line("loss", new[] { 1.0, 2.0 })).Layout["xaxis"]!["type"]);
    }

    [Fact]
    public void FloatsKeepTheirShortDecimalForm()
    {
        var payload = PlotlyPayload.Parse(Charting.Charts.Line("acc", new[] { 0.1f, 0.97f }));
        Assert.Equal(new double?[] { 0.1, 0.97 }, PlotlyPayload.Numbers(payload.Data[0]!["y"]));
    }

    [Fact]
    public void HistogramBinsHereAndCountsNonFiniteInTheTitle()
    {
        float[] values = [0f, 0.5f, 1f, 1f, float.NaN, 0.25f];

        var payload = PlotlyPayload.Parse(Charting.Charts.Histogram(values, bins: 2, title: "activations"));

        var trace = payload.Data.Single()!;
        Assert.Equal("bar", (string?)trace["type"]);
        // Edges 0, 0.5, 1: [0, 0.5) holds 0 and 0.25; [0.5, 1] holds 0.5, 1, 1.
        Assert.Equal(new double?[] { 0.25, 0.75 }, PlotlyPayload.Numbers(trace["x"]));
        Assert.Equal(new double?[] { 2, 3 }, PlotlyPayload.Numbers(trace["y"]));
        Assert.Equal(0.5, (double)trace["width"]!);
        Assert.Equal("activations (1 NaN/±∞ not shown)", (string?)payload.Layout["title"]!["text"]);
        Assert.Equal(0, (int)payload.Layout["bargap"]!);
    }

    [Fact]
    public void HistogramOfConstantOrEmptyValuesDoesNotBreak()
    {
        var constant = PlotlyPayload.Parse(Charting.Charts.Histogram(new float[] { 3, 3, 3 }));
        Assert.Equal(new double?[] { 3 }, PlotlyPayload.Numbers(constant.Data[0]!["y"]));

        var allNaN = PlotlyPayload.Parse(Charting.Charts.Histogram(new[] { float.NaN }));
        Assert.Empty(allNaN.Data[0]!["y"]!.AsArray());
    }

    [Fact]
    public void OverlaidHistogramsShareTheirBinEdges()
    {
        var payload = PlotlyPayload.Parse(Charting.Charts.Histogram([("a", [0f, 1f]), ("b", [3f, 4f])], bins: 4));

        Assert.Equal(2, payload.Data.Count);
        Assert.Equal(PlotlyPayload.Numbers(payload.Data[0]!["x"]), PlotlyPayload.Numbers(payload.Data[1]!["x"]));
        Assert.Equal(new double?[] { 1, 1, 0, 0 }, PlotlyPayload.Numbers(payload.Data[0]!["y"]));
        Assert.Equal(new double?[] { 0, 0, 0, 2 }, PlotlyPayload.Numbers(payload.Data[1]!["y"]));
        Assert.Equal("overlay", (string?)payload.Layout["barmode"]);
    }

    [Fact]
    public void HistogramLinesAreDensitiesOnSharedEdges()
    {
        // Shared edges over [0, 4] in 4 bins of width 1: a = {0, 1, 1, NaN} → counts 1, 2, 0, 0 of 3 finite values,
        // b = {3, 4} → 0, 0, 0, 2 (the last bin holds its right edge). Density = count / (finite · width).
        var payload = PlotlyPayload.Parse(
            Charting.Charts.HistogramLines([("a", [0f, 1f, 1f, float.NaN]), ("b", [3f, 4f])], bins: 4, title: "t")
        );

        Assert.Equal(2, payload.Data.Count);
        var a = payload.Data[0]!;
        Assert.Equal("scatter", (string?)a["type"]);
        Assert.Equal("lines", (string?)a["mode"]);
        Assert.Equal("a", (string?)a["name"]);
        Assert.Equal(new double?[] { 0.5, 1.5, 2.5, 3.5 }, PlotlyPayload.Numbers(a["x"]));
        Assert.Equal(new double?[] { 1.0 / 3, 2.0 / 3, 0, 0 }, PlotlyPayload.Numbers(a["y"]));
        Assert.Equal(PlotlyPayload.Numbers(a["x"]), PlotlyPayload.Numbers(payload.Data[1]!["x"]));
        Assert.Equal(new double?[] { 0, 0, 0, 1 }, PlotlyPayload.Numbers(payload.Data[1]!["y"]));
        Assert.Equal("t (1 NaN/±∞ not shown)", (string?)payload.Layout["title"]!["text"]);
        Assert.Equal("density", (string?)payload.Layout["yaxis"]!["title"]!["text"]);
    }

    [Fact]
    public void HistogramLinesOnALogAxisDropEmptyBins()
    {
        var payload = PlotlyPayload.Parse(Charting.Charts.HistogramLines([("a", [0f, 0f, 2f])], bins: 2, logY: true));
        // Width 1: [0, 1) holds 2 of 3, [1, 2] holds 1 of 3.
        Assert.Equal(new double?[] { 2.0 / 3, 1.0 / 3 }, PlotlyPayload.Numbers(payload.Data[0]!["y"]));
        var single = PlotlyPayload.Parse(Charting.Charts.HistogramLines([("a", [0f, 0f, 4f])], bins: 4, logY: true));
        Assert.Equal(new double?[] { 2.0 / 3, null, null, 1.0 / 3 }, PlotlyPayload.Numbers(single.Data[0]!["y"]));
        Assert.Equal("log", (string?)single.Layout["yaxis"]!["type"]);
    }

    [Fact]
    public void ClassCountBarsAreGroupedPerClass()
    {
        var chart = Charting.Charts.ClassCountBars([("before", [1, 1, 1]), ("after", [0, 1, 9])]);

        var payload = PlotlyPayload.Parse(chart);

        Assert.Equal("group", (string?)payload.Layout["barmode"]);
        var before = payload.Data[0]!;
        Assert.Equal("bar", (string?)before["type"]);
        Assert.Equal("before", (string?)before["name"]);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()), before["x"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(new double?[] { 0, 3, 0, 0, 0, 0, 0, 0, 0, 0 }, PlotlyPayload.Numbers(before["y"]));
        Assert.Equal(new double?[] { 1, 1, 0, 0, 0, 0, 0, 0, 0, 1 }, PlotlyPayload.Numbers(payload.Data[1]!["y"]));
    }

    [Fact]
    public void BarRejectsASeriesOfTheWrongLength()
    {
        var ex = Assert.Throws<ArgumentException>(() => Charting.Charts.Bar(["a", "b"], [1.0]));
        Assert.StartsWith("Expected 2 values in series 'value' (one per category) but got 1", ex.Message);
    }

    [Fact]
    public void ConfusionMatrixIsAnAnnotatedHeatmapOfCounts()
    {
        int[] truth = [7, 7, 1, 0];
        int[] predicted = [7, 1, 1, 0];

        var payload = PlotlyPayload.Parse(Charting.Charts.ConfusionMatrix(truth, predicted));

        var trace = payload.Data.Single()!;
        Assert.Equal("heatmap", (string?)trace["type"]);
        Assert.Equal("%{z}", (string?)trace["texttemplate"]);
        var z = trace["z"]!.AsArray();
        Assert.Equal(10, z.Count);
        Assert.Equal(1, (int)z[7]![7]!);
        Assert.Equal(1, (int)z[7]![1]!);
        Assert.Equal(1, (int)z[1]![1]!);
        Assert.Equal(1, (int)z[0]![0]!);
        Assert.Equal(4, z.Sum(row => row!.AsArray().Sum(n => (int)n!)));
        Assert.Equal("reversed", (string?)payload.Layout["yaxis"]!["autorange"]);
        Assert.Equal("predicted", (string?)payload.Layout["xaxis"]!["title"]!["text"]);
    }

    [Fact]
    public void HeatmapReshapesRowMajorValuesWithRowZeroOnTop()
    {
        var weights = new float[784];
        weights[1] = 0.5f; // (0, 1)
        weights[27 * 28] = -2f; // (27, 0)
        weights[5] = float.NaN;

        var payload = PlotlyPayload.Parse(Charting.Charts.Heatmap(weights, 28, 28, colorscale: "RdBu", centerAtZero: true));

        var trace = payload.Data.Single()!;
        var z = trace["z"]!.AsArray();
        Assert.Equal(28, z.Count);
        Assert.All(z, row => Assert.Equal(28, row!.AsArray().Count));
        Assert.Equal(0.5, (double)z[0]![1]!);
        Assert.Equal(-2, (double)z[27]![0]!);
        Assert.Null(z[0]![5]);
        Assert.Equal(0, (int)trace["zmid"]!);
        Assert.Equal("RdBu", (string?)trace["colorscale"]);
        Assert.Equal("reversed", (string?)payload.Layout["yaxis"]!["autorange"]);
    }

    [Fact]
    public void UnitWeightsTakeOneColumnAsA28By28Image()
    {
        var w = new Matrix<float>(784, 10);
        w[28 * 2 + 3, 4] = 0.75f; // pixel (2, 3) into unit 4
        w[28 * 2 + 3, 5] = 9f; // another unit: must not show

        var payload = PlotlyPayload.Parse(Charting.Charts.UnitWeights(w, 4));

        var z = payload.Data[0]!["z"]!.AsArray();
        Assert.Equal(0.75, (double)z[2]![3]!);
        Assert.Equal(0.75, z.Max(row => row!.AsArray().Max(n => (double)n!)));
        Assert.Equal("weights into unit 4", (string?)payload.Layout["title"]!["text"]);
        Assert.Throws<ShapeMismatchException>(() => Charting.Charts.UnitWeights(new Matrix<float>(10, 784), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Charting.Charts.UnitWeights(w, 10));
    }

    [Fact]
    public void HeatmapOfAMatrixUsesItsShape()
    {
        var m = Matrix<float>.FromArray(
            new float[,]
            {
                { 1, 2, 3 },
                { 4, 5, 6 },
            }
        );
        var z = PlotlyPayload.Parse(Charting.Charts.Heatmap(m)).Data[0]!["z"]!.AsArray();
        Assert.Equal(new double?[] { 4, 5, 6 }, PlotlyPayload.Numbers(z[1]));
    }

    [Fact]
    public void ChartIdsDifferForIdenticalChartsAndToStringIsTheHtml()
    {
        var a = ChartHtml.FromPlotlyNet(Charting.Charts.Line("loss", new[] { 1.0, 2.0 }));
        var b = ChartHtml.FromPlotlyNet(Charting.Charts.Line("loss", new[] { 1.0, 2.0 }));
        Assert.NotEqual(a.Id, b.Id);
        Assert.True(Guid.TryParse(a.Id, out _));
        Assert.Equal(a.Html, a.ToString());
    }

    /// <summary>The chart helpers return Plotly.NET charts a learner restyles with Plotly.NET's own API.</summary>
    [Fact]
    public void ChartsArePlotlyNetChartsThatPlotlyNetRestyles()
    {
        Plotly.NET.GenericChart chart = Charting.Charts.Line("loss", new[] { 3.0, 2.0, 1.5 }, title: "Training loss");
        Plotly.NET.GenericChart wide = Plotly.NET.GenericChart.mapLayout(
            Microsoft.FSharp.Core.FuncConvert.FromFunc<Plotly.NET.Layout, Plotly.NET.Layout>(l =>
            {
                l.SetProperty("width", 900);
                return l;
            }),
            chart
        );
        PlotlyPayload payload = PlotlyPayload.Parse(wide);
        Assert.Equal(900, (int)payload.Layout["width"]!);
        Assert.Equal("Training loss", (string?)payload.Layout["title"]!["text"]);
        Assert.Equal(new double?[] { 3, 2, 1.5 }, PlotlyPayload.Numbers(payload.Data[0]!["y"]));
    }

    [Fact]
    public void HtmlIsExactlyWhatPlotlyNetWritesForARequireReference()
    {
        const string data = "[{\"type\":\"scatter\",\"y\":[1,2]}]",
            layout = "{\"width\":500}",
            config = "{}";
        var ours = ChartHtml.FromPlotlyJson(data, layout, config);

        var nodes = Plotly.NET.HTML.CreateChartHTML(
            data,
            layout,
            config,
            Plotly.NET.PlotlyJSReference.NewRequire(ChartHtml.PlotlyRequirePath)
        );
        string theirs = Giraffe.ViewEngine.RenderView.AsString.htmlNodes(nodes);
        string theirId = System.Text.RegularExpressions.Regex.Match(theirs, "<div id=\"([0-9a-f-]{36})\"").Groups[1].Value;

        Assert.Equal(theirs.Replace(theirId, ours.Id).Replace(theirId.Replace("-", ""), ours.Id.Replace("-", "")), ours.Html);
    }

    [Fact]
    public void XPlotChartsUseTheSameRequireForm()
    {
        var xplot = XPlot.Plotly.Chart.Line(new[] { Tuple.Create(1.0, 2.0), Tuple.Create(2.0, 3.0) });

        var payload = PlotlyPayload.Parse(ChartHtml.FromXPlot(xplot));

        Assert.Equal("scatter", (string?)payload.Data[0]!["type"]);
        Assert.Equal(new double?[] { 2, 3 }, PlotlyPayload.Numbers(payload.Data[0]!["y"]));
        Assert.Equal(xplot.Width, (int)payload.Layout["width"]!);
    }

    [Fact]
    public void PlotlyNetChartsUseTheSameRequireForm()
    {
        var payload = PlotlyPayload.Parse(ChartHtml.FromPlotlyNet(Plotly.NET.Chart.Invisible()));
        Assert.Single(payload.Data);
        Assert.NotNull(payload.Layout["xaxis"]);
    }

    [Fact]
    public void ReliabilityDiagramDrawsTheNonEmptyBinsOverTheDiagonal()
    {
        // bins of 0.5: [0, .5) empty; [.5, 1]: 0.6 wrong, 0.8 right, 1.0 right: confidence 0.8, accuracy 2/3, ECE 0.1333.
        var calibration = MnistNotebooks.Metrics.Calibration.From([0.6, 0.8, 1.0], [false, true, true], bins: 2);
        var perfect = MnistNotebooks.Metrics.Calibration.From([0.25, 1.0], [false, true], bins: 2);

        var payload = PlotlyPayload.Parse(Charting.Charts.Reliability([("model", calibration), ("other", perfect)]));

        Assert.Equal(3, payload.Data.Count);
        var diagonal = payload.Data[0]!;
        Assert.Equal(new double?[] { 0, 1 }, PlotlyPayload.Numbers(diagonal["x"]));
        Assert.Equal(new double?[] { 0, 1 }, PlotlyPayload.Numbers(diagonal["y"]));
        var model = payload.Data[1]!;
        Assert.Equal("model (ECE 0.1333)", (string?)model["name"]);
        Assert.Equal(0.8, PlotlyPayload.Numbers(model["x"]).Single()!.Value, 12);
        Assert.Equal(2.0 / 3, PlotlyPayload.Numbers(model["y"]).Single()!.Value, 12);
        Assert.Equal("[0.5, 1): 3", (string?)model["text"]![0]);
        var other = payload.Data[2]!;
        Assert.Equal("other (ECE 0.1250)", (string?)other["name"]);
        Assert.Equal(new double?[] { 0.25, 1 }, PlotlyPayload.Numbers(other["x"]));
        Assert.Equal(new double?[] { 0, 1 }, PlotlyPayload.Numbers(other["y"]));
        Assert.Equal("accuracy in the bin", (string?)payload.Layout["yaxis"]!["title"]!["text"]);
        Assert.Equal("model (ECE 0.1333)", (string?)PlotlyPayload.Parse(Charting.Charts.Reliability(calibration)).Data[1]!["name"]);
    }
}

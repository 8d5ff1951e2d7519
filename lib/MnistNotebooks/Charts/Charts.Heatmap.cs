using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Plotly.NET;

namespace MnistNotebooks.Charting;

public static partial class Charts
{
    /// <summary>Heatmap of a matrix, row 0 at the top (an image). NaN/±∞ become empty cells.</summary>
    public static GenericChart Heatmap<T>(
        Matrix<T> matrix,
        string? title = null,
        string colorscale = "Viridis",
        bool centerAtZero = false,
        int width = 450,
        int height = 400
    )
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return Heatmap(matrix.Convert<float>().Data, matrix.Rows, matrix.Cols, title, colorscale, centerAtZero, width, height);
    }

    /// <summary>Heatmap of row-major <paramref name="values"/> reshaped (rows, cols), e.g. one output unit's 784 weights as 28 × 28 with colorscale "RdBu" and centerAtZero.</summary>
    public static GenericChart Heatmap(
        ReadOnlySpan<float> values,
        int rows,
        int cols,
        string? title = null,
        string colorscale = "Viridis",
        bool centerAtZero = false,
        int width = 450,
        int height = 400
    )
    {
        if (values.Length != rows * cols)
        {
            throw new ArgumentException($"Expected {rows} × {cols} = {rows * cols} values but got {values.Length}", nameof(values));
        }
        var z = new JsonArray();
        for (int r = 0; r < rows; r++)
        {
            var row = new double[cols];
            for (int c = 0; c < cols; c++)
                row[c] = PlotlyJson.Widen(values[r * cols + c]);
            z.Add(PlotlyJson.Numbers(row));
        }
        var trace = new JsonObject
        {
            ["type"] = "heatmap",
            ["z"] = z,
            ["colorscale"] = colorscale,
        };
        if (centerAtZero)
            trace["zmid"] = 0;
        var layout = PlotlyJson.Layout(title, null, null, logY: false, width, height);
        layout["yaxis"]!["autorange"] = "reversed";
        layout["yaxis"]!["scaleanchor"] = "x";
        layout["xaxis"]!["constrain"] = "domain";
        return PlotlyNetChart.Create([trace], layout);
    }

    /// <summary>
    /// The incoming weights of one unit as an image: column <paramref name="unit"/> of a (inputs, outputs)
    /// weight matrix (inputs = 784) reshaped 28 × 28, diverging colors centered at zero.
    /// </summary>
    public static GenericChart UnitWeights<T>(Matrix<T> weights, int unit, string? title = null, int width = 450, int height = 400)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Rows != Digit.Side * Digit.Side)
        {
            throw new ShapeMismatchException(
                $"Expected weights ({Digit.Side * Digit.Side}, outputs) but got {weights.Shape}",
                nameof(weights)
            );
        }
        if ((uint)unit >= (uint)weights.Cols)
        {
            throw new ArgumentOutOfRangeException(nameof(unit), unit, $"Expected a unit in [0, {weights.Cols}) but got {unit}");
        }
        var column = new float[weights.Rows];
        for (int r = 0; r < column.Length; r++)
            column[r] = float.CreateTruncating(weights[r, unit]);
        return Heatmap(column, Digit.Side, Digit.Side, title ?? $"weights into unit {unit}", "RdBu", centerAtZero: true, width, height);
    }

    /// <summary>Confusion matrix (true label by row, predicted label by column) as an annotated heatmap.</summary>
    public static GenericChart ConfusionMatrix(
        ReadOnlySpan<int> trueLabels,
        ReadOnlySpan<int> predictedLabels,
        int classes = 10,
        string? title = "Confusion matrix",
        int width = 560,
        int height = 500
    ) => ConfusionMatrix(CountConfusions(trueLabels, predictedLabels, classes), title, width, height);

    /// <summary>An annotated heatmap of counts[true, predicted].</summary>
    public static GenericChart ConfusionMatrix(int[,] counts, string? title = "Confusion matrix", int width = 560, int height = 500)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int rows = counts.GetLength(0),
            cols = counts.GetLength(1);
        var z = new JsonArray();
        for (int r = 0; r < rows; r++)
        {
            var row = new JsonArray();
            for (int c = 0; c < cols; c++)
                row.Add(counts[r, c]);
            z.Add(row);
        }
        var trace = new JsonObject
        {
            ["type"] = "heatmap",
            ["z"] = z,
            ["x"] = PlotlyJson.Strings(Enumerable.Range(0, cols).Select(i => i.ToString(CultureInfo.InvariantCulture))),
            ["y"] = PlotlyJson.Strings(Enumerable.Range(0, rows).Select(i => i.ToString(CultureInfo.InvariantCulture))),
            ["colorscale"] = "Blues",
            ["reversescale"] = true, // plotly's Blues runs dark → light; more counts should be darker
            ["texttemplate"] = "%{z}",
            ["hovertemplate"] = "true %{y}, predicted %{x}: %{z}<extra></extra>",
        };
        var layout = PlotlyJson.Layout(title, "predicted", "true", logY: false, width, height);
        layout["yaxis"]!["autorange"] = "reversed";
        layout["xaxis"]!["type"] = "category";
        layout["yaxis"]!["type"] = "category";
        return PlotlyNetChart.Create([trace], layout);
    }

    /// <summary>counts[t, p] = how many samples have true label t and predicted label p.</summary>
    public static int[,] CountConfusions(ReadOnlySpan<int> trueLabels, ReadOnlySpan<int> predictedLabels, int classes = 10)
    {
        if (trueLabels.Length != predictedLabels.Length)
        {
            throw new ArgumentException(
                $"Expected as many predictions as labels ({trueLabels.Length}) but got {predictedLabels.Length}",
                nameof(predictedLabels)
            );
        }
        var counts = new int[classes, classes];
        for (int i = 0; i < trueLabels.Length; i++)
        {
            int t = trueLabels[i],
                p = predictedLabels[i];
            if ((uint)t >= (uint)classes || (uint)p >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(trueLabels),
                    $"Expected classes in [0, {classes}) but got true {t}, predicted {p} at index {i}"
                );
            }
            counts[t, p]++;
        }
        return counts;
    }
}

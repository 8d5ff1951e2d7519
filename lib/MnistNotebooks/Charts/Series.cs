namespace MnistNotebooks.Charting;

/// <summary>A named curve or bar group: Y values with optional X (default 0, 1, 2, ...).</summary>
public sealed record Series(string Name, IReadOnlyList<double> Y, IReadOnlyList<double>? X = null)
{
    public Series(string name, IEnumerable<double> y)
        : this(name, y.ToArray()) { }

    public Series(string name, IEnumerable<float> y)
        : this(name, y.Select(PlotlyJson.Widen).ToArray()) { }

    /// <summary>A curve with explicit X (e.g. epochs 1, 2, 3); the primary constructor takes Y before X, so use this or name the argument <c>X:</c>.</summary>
    public static Series WithX(string name, IEnumerable<double> x, IEnumerable<double> y)
    {
        var series = new Series(name, y.ToArray(), x.ToArray());
        if (series.X!.Count != series.Y.Count)
        {
            throw new ArgumentException($"Expected as many X as Y values ({series.Y.Count}) but got {series.X.Count}", nameof(x));
        }
        return series;
    }

    /// <summary>How many Y values are NaN or ±∞.</summary>
    public int NonFiniteCount => Y.Count(v => !double.IsFinite(v));
}

namespace MnistNotebooks.Charting;

/// <summary>A named curve or bar group: Y values with optional X (default 0, 1, 2, ...).</summary>
public sealed record Series(string Name, IReadOnlyList<double> Y, IReadOnlyList<double>? X = null)
{
    public Series(string name, IEnumerable<double> y) : this(name, y.ToArray()) { }

    public Series(string name, IEnumerable<float> y) : this(name, y.Select(PlotlyJson.Widen).ToArray()) { }

    public Series(string name, IEnumerable<double> x, IEnumerable<double> y) : this(name, y.ToArray(), x.ToArray()) { }

    /// <summary>How many Y values are NaN or ±∞.</summary>
    public int NonFiniteCount => Y.Count(v => !double.IsFinite(v));
}

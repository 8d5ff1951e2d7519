using MnistNotebooks.Doctor;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Tests.Doctor;

/// <summary>Small synthetic patients for the unit tests of each finding: Gaussian clusters and a softmax regression
/// written as a learner would, with its exact gradient; each test changes one thing on either side of a threshold.</summary>
internal static class Synthetic
{
    public const int Classes = 4;

    /// <summary>n samples (balanced labels 0..3 in turn) of d features: 2·e_label + N(0, 1), times <paramref name="scale"/>.</summary>
    public static (Matrix<double> X, int[] Y) Blobs(int n = 64, int d = 6, double scale = 1, int seed = 0)
    {
        var rng = new RandomState(seed);
        Matrix<double> x = rng.Randn(n, d);
        int[] y = [.. Enumerable.Range(0, n).Select(i => i % Classes)];
        for (int i = 0; i < n; i++)
        {
            x[i, y[i]] += 2;
        }
        return (x * scale, y);
    }

    /// <summary>W (d, 4) ~ N(0, std²) and b = 0.</summary>
    public static ParameterSet Weights(int d = 6, double std = 0.01, int seed = 1) =>
        new() { ["W"] = new RandomState(seed).Randn(d, Classes) * std, ["b"] = new Matrix<double>(1, Classes) };

    public static Matrix<double> Logits(ParameterSet p, Matrix<double> x) => x.Dot(p["W"]) + p["b"];

    /// <summary>Row-wise softmax, max subtracted.</summary>
    public static Matrix<double> Softmax(Matrix<double> z) => (z - z.Max(axis: 1)).Exp() / (z - z.Max(axis: 1)).Exp().Sum(axis: 1);

    /// <summary>Mean cross-entropy of softmax(x·W + b).</summary>
    public static double Cost(ParameterSet p, Matrix<double> x, int[] y) => Numpy.MeanCrossEntropy(Softmax(Logits(p, x)), y, x.Rows);

    /// <summary>The exact gradient of <see cref="Cost"/>: dZ = (P − Y) / n, dW = Xᵀ·dZ, db = Σ_rows dZ.</summary>
    public static ParameterSet Gradient(ParameterSet p, Matrix<double> x, int[] y)
    {
        Matrix<double> dz = (Softmax(Logits(p, x)) - Numpy.OneHot(y, Classes)) / x.Rows;
        return new ParameterSet { ["W"] = x.Transpose().Dot(dz), ["b"] = dz.Sum(axis: 0) };
    }

    /// <summary>p − α·g for every parameter (α &lt; 0 climbs).</summary>
    public static ParameterSet Descend(ParameterSet p, ParameterSet g, double alpha)
    {
        var next = new ParameterSet();
        foreach ((string name, Matrix<double> value) in p)
        {
            next[name] = value - alpha * g[name];
        }
        return next;
    }

    /// <summary>A softmax regression on <paramref name="x"/>, with its exact gradient and SGD at <paramref name="alpha"/>
    /// on the mean gradient, unless another step is given.</summary>
    public static Patient Regression(
        Matrix<double> x,
        int[] y,
        ParameterSet? p = null,
        double alpha = 0.5,
        Func<ParameterSet, Matrix<double>, int[], ParameterSet>? step = null,
        int batchSize = 16,
        bool withStep = true
    ) =>
        new()
        {
            Name = "synthetic softmax regression",
            Inputs = x,
            Labels = y,
            Parameters = p ?? Weights(x.Cols),
            Outputs = Logits,
            OutputKind = OutputKind.Logits,
            Cost = Cost,
            Gradients = Gradient,
            Step = withStep ? step ?? ((q, xb, yb) => Descend(q, Gradient(q, xb, yb), alpha)) : null,
            BatchSize = batchSize,
        };

    /// <summary>A patient whose outputs are a fixed matrix (the parameters do not matter), with no update: for the
    /// findings measured on the current state alone.</summary>
    public static Patient Fixed(
        Matrix<double> outputs,
        int[] labels,
        OutputKind kind,
        Func<Matrix<double>, int[], double>? cost = null,
        IReadOnlyList<Activation>? activations = null,
        Matrix<double>? logits = null,
        NumericPrecision precision = NumericPrecision.Float64
    )
    {
        // The sample index travels as the input, (i + 1) / n (inputs in (0, 1]), so that any batch gets its own rows.
        int n = outputs.Rows;
        Matrix<double> index = new(n, 1, [.. Enumerable.Range(0, n).Select(i => (i + 1.0) / n)]);
        int[] Rows(Matrix<double> x) => [.. Enumerable.Range(0, x.Rows).Select(r => (int)Math.Round(x[r, 0] * n) - 1)];
        return new Patient
        {
            Name = "fixed outputs",
            Inputs = index,
            Labels = labels,
            Outputs = (_, x) => outputs.GatherRows(Rows(x)),
            OutputKind = kind,
            Logits = logits is null ? null : (_, x) => logits.GatherRows(Rows(x)),
            Activations = activations is null
                ? null
                : (_, x) => [.. activations.Select(a => a with { Values = a.Values.GatherRows(Rows(x)) })],
            Cost = (_, x, y) => cost?.Invoke(outputs.GatherRows(Rows(x)), y) ?? 0,
            Precision = precision,
        };
    }

    /// <summary>Balanced labels 0..3 in turn.</summary>
    public static int[] Labels(int n) => [.. Enumerable.Range(0, n).Select(i => i % Classes)];
}

using MnistNotebooks.Layers;
using MnistNotebooks.Losses;

namespace MnistNotebooks.GradientChecking;

/// <summary>Compares analytic gradients a with central differences n = (L(w + h) − L(w − h)) / 2h, entry by entry,
/// in double over double copies of the parameters (or, to show why not, in float32). Large tensors are sampled.</summary>
/// <example><code>
/// var result = GradientCheck.Check(model, new SoftmaxCrossEntropy(), x, labels);
/// Console.WriteLine(result);   // dense1.W (784, 300) | max abs 3.1e-06 | max rel 2.0e-04 | OK …
/// </code></example>
public static class GradientCheck
{
    /// <summary>Runs <paramref name="model"/> (a <see cref="Sequential"/> or a single layer) and <paramref name="loss"/> forward and backward once (gradients zeroed
    /// first, left in <see cref="Parameter.Gradient"/> after), then checks every parameter against numeric gradients
    /// of the same model and loss, in double (their <see cref="IDoubleForward"/> and <see cref="IDoubleLoss"/> paths)
    /// or in float32 when <see cref="GradientCheckOptions.Precision"/> says so.</summary>
    public static GradientCheckResult Check(
        ILayer model,
        ILoss loss,
        Matrix input,
        ReadOnlySpan<int> labels,
        GradientCheckOptions? options = null
    )
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        options ??= new GradientCheckOptions();
        int[] y = labels.ToArray();
        foreach (Parameter p in model.Parameters)
        {
            p.ZeroGradient();
        }
        loss.Forward(model.Forward(input), y);
        model.Backward(loss.Backward());
        Matrix[] analytic = model.Parameters.Select(p => p.Gradient.Clone()).ToArray();
        if (options.Precision == CheckPrecision.Float32)
        {
            return CompareFloat32(model.Parameters, analytic, FloatLoss(model, loss, input, y), options);
        }
        if (model is not IDoubleForward doubleModel)
        {
            throw new NotSupportedException($"The model '{model.Name}' has no double-precision forward (IDoubleForward)");
        }
        if (loss is not IDoubleLoss doubleLoss)
        {
            throw new NotSupportedException($"The loss {loss.GetType().Name} has no double-precision forward (IDoubleLoss)");
        }
        return Compare(model.Parameters, analytic, DoubleLoss(doubleModel, doubleLoss, input, y), options);
    }

    /// <summary>Checks externally computed <paramref name="analyticGradients"/> (one per parameter, same order and shapes,
    /// e.g. from a hand-written backprop) against central differences of <paramref name="loss"/>, a double function of
    /// the parameter values it is given (build it with <see cref="DoubleLoss"/>, add terms such as 0.5·λ·<see cref="SumOfSquares"/>).</summary>
    public static GradientCheckResult Compare(
        IReadOnlyList<Parameter> parameters,
        IReadOnlyList<Matrix> analyticGradients,
        Func<IReadOnlyDictionary<Parameter, double[]>, double> loss,
        GradientCheckOptions? options = null
    )
    {
        ArgumentNullException.ThrowIfNull(loss);
        options ??= new GradientCheckOptions();
        CheckArguments(parameters, analyticGradients, options);
        var values = parameters.ToDictionary(p => p, p => DoubleKernels.Widen(p.Value.Data));
        double h = options.Epsilon;
        return Run(
            parameters,
            analyticGradients,
            options,
            CheckPrecision.Double,
            (p, i) =>
            {
                double[] w = values[p];
                double saved = w[i];
                w[i] = saved + h;
                double plus = loss(values);
                w[i] = saved - h;
                double minus = loss(values);
                w[i] = saved;
                return (plus - minus) / (2 * h);
            }
        );
    }

    /// <summary>As <see cref="Compare(IReadOnlyList{Parameter}, IReadOnlyList{Matrix}, Func{IReadOnlyDictionary{Parameter, double[]}, double}, GradientCheckOptions?)"/>
    /// with the analytic gradients read from each <see cref="Parameter.Gradient"/> (fill them first, e.g. by a user's backward).</summary>
    public static GradientCheckResult Compare(
        IReadOnlyList<Parameter> parameters,
        Func<IReadOnlyDictionary<Parameter, double[]>, double> loss,
        GradientCheckOptions? options = null
    )
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Compare(parameters, parameters.Select(p => p.Gradient.Clone()).ToArray(), loss, options);
    }

    /// <summary>The float32 check, to show that it cannot be trusted: each sampled float parameter is moved by ±ε in
    /// float32, <paramref name="loss"/> (which must read the current float values) is evaluated in float32, and
    /// n = (L₊ − L₋) / 2ε is computed in float32. Every parameter is restored exactly.</summary>
    public static GradientCheckResult CompareFloat32(
        IReadOnlyList<Parameter> parameters,
        IReadOnlyList<Matrix> analyticGradients,
        Func<float> loss,
        GradientCheckOptions? options = null
    )
    {
        ArgumentNullException.ThrowIfNull(loss);
        options ??= new GradientCheckOptions();
        CheckArguments(parameters, analyticGradients, options);
        float h = (float)options.Epsilon;
        return Run(
            parameters,
            analyticGradients,
            options,
            CheckPrecision.Float32,
            (p, i) =>
            {
                float[] w = p.Value.Data;
                float saved = w[i];
                try
                {
                    w[i] = saved + h;
                    float plus = loss();
                    w[i] = saved - h;
                    float minus = loss();
                    return (plus - minus) / (2 * h);
                }
                finally
                {
                    w[i] = saved;
                }
            }
        );
    }

    /// <summary>L(values) = loss(model(input), labels), all in double through the reference paths.</summary>
    public static Func<IReadOnlyDictionary<Parameter, double[]>, double> DoubleLoss(
        IDoubleForward model,
        IDoubleLoss loss,
        Matrix input,
        ReadOnlySpan<int> labels
    )
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(input);
        double[] x = DoubleKernels.Widen(input.Data);
        int batch = input.Rows;
        int[] y = labels.ToArray();
        return values => loss.ForwardDouble(model.ForwardDouble(x, batch, values), batch, y);
    }

    /// <summary>L = loss(model(input), labels) in float32 with the parameters' current float values.</summary>
    public static Func<float> FloatLoss(ILayer model, ILoss loss, Matrix input, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(input);
        int[] y = labels.ToArray();
        return () => loss.Forward(model.Forward(input), y);
    }

    /// <summary>Σ w² over the given double values (all of them, or only <paramref name="only"/>): the L2 term
    /// 0.5·λ·Σw² is <c>0.5 * lambda * GradientCheck.SumOfSquares(values)</c>, whose gradient is λ·w.</summary>
    public static double SumOfSquares(IReadOnlyDictionary<Parameter, double[]> values, IEnumerable<Parameter>? only = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        double sum = 0;
        foreach (Parameter p in only ?? values.Keys)
        {
            foreach (double w in values[p])
            {
                sum += w * w;
            }
        }
        return sum;
    }

    private static GradientCheckResult Run(
        IReadOnlyList<Parameter> parameters,
        IReadOnlyList<Matrix> analyticGradients,
        GradientCheckOptions options,
        CheckPrecision precision,
        Func<Parameter, int, double> numeric
    )
    {
        var rng = new Random(options.Seed);
        double floor = options.AbsoluteTolerance / options.RelativeTolerance;
        var rows = new TensorCheck[parameters.Count];
        for (int t = 0; t < parameters.Count; t++)
        {
            Parameter p = parameters[t];
            float[] a = analyticGradients[t].Data;
            int[] indices = Sample(p.Value.Length, options.MaxEntriesPerTensor, rng);
            double maxAbs = 0,
                maxRel = 0,
                worstA = 0,
                worstN = 0;
            int worst = -1;
            bool passed = true;
            foreach (int i in indices)
            {
                double n = numeric(p, i);
                double abs = Math.Abs(a[i] - n);
                double rel = abs / Math.Max(Math.Max(Math.Abs(a[i]), Math.Abs(n)), floor);
                // NaN compares false: a NaN on either side fails and is reported as the worst entry.
                if (!(rel <= options.RelativeTolerance))
                {
                    passed = false;
                }
                if (worst < 0 || IsWorse(rel, maxRel))
                {
                    maxRel = rel;
                    worst = i;
                    worstA = a[i];
                    worstN = n;
                }
                if (IsWorse(abs, maxAbs))
                {
                    maxAbs = abs;
                }
            }
            rows[t] = new TensorCheck(p.Name, p.Value.Rows, p.Value.Cols, indices.Length, maxAbs, maxRel, worst, worstA, worstN, passed);
        }
        return new GradientCheckResult(rows, precision, options.Epsilon);
    }

    /// <summary>NaN is worse than any number, and stays the worst once seen.</summary>
    private static bool IsWorse(double x, double current) => !double.IsNaN(current) && (double.IsNaN(x) || x > current);

    /// <summary>All of 0..length−1, or <paramref name="max"/> of them without replacement (partial Fisher–Yates), ascending.</summary>
    private static int[] Sample(int length, int max, Random rng)
    {
        var all = new int[length];
        for (int i = 0; i < length; i++)
        {
            all[i] = i;
        }
        if (length <= max)
        {
            return all;
        }
        for (int i = 0; i < max; i++)
        {
            int j = rng.Next(i, length);
            (all[i], all[j]) = (all[j], all[i]);
        }
        int[] picked = all[..max];
        Array.Sort(picked);
        return picked;
    }

    private static void CheckArguments(
        IReadOnlyList<Parameter> parameters,
        IReadOnlyList<Matrix> analyticGradients,
        GradientCheckOptions options
    )
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(analyticGradients);
        ArgumentNullException.ThrowIfNull(options);
        if (parameters.Count != analyticGradients.Count)
        {
            throw new ArgumentException(
                $"Expected {parameters.Count} analytic gradients, one per parameter, but got {analyticGradients.Count}",
                nameof(analyticGradients)
            );
        }
        for (int t = 0; t < parameters.Count; t++)
        {
            Matrix v = parameters[t].Value;
            ShapeMismatchException.ThrowIfNot(analyticGradients[t], v.Rows, v.Cols, $"gradient of {parameters[t].Name}");
        }
        if (!double.IsFinite(options.Epsilon) || options.Epsilon <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Epsilon, "Epsilon must be finite and > 0");
        }
        if (options.MaxEntriesPerTensor < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxEntriesPerTensor, "MaxEntriesPerTensor must be ≥ 1");
        }
        if (!(options.RelativeTolerance > 0) || !(options.AbsoluteTolerance >= 0))
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                "The tolerances must be RelativeTolerance > 0 and AbsoluteTolerance ≥ 0"
            );
        }
    }
}

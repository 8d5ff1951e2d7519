using System.Numerics;
using MnistNotebooks.Kernels;
using MnistNotebooks.Layers;
using MnistNotebooks.Optimizers;

namespace MnistNotebooks.Course;

/// <summary>Options for <see cref="PerSampleSgd.Train"/>: the learning rate α, k updates per sample, optional clipping.</summary>
public sealed record PerSampleSgdOptions
{
    /// <summary>α in W −= α·outer(x, pred − y).</summary>
    public required double LearningRate { get; init; }

    /// <summary>k: how many updates each sample gets before the next one (the asker's inner loop: 50).</summary>
    public int UpdatesPerSample { get; init; } = 1;

    /// <summary>Clipping applied to the gradient outer(x, pred − y) before each update (<see cref="ByGlobalNorm"/>, <see cref="ByValue"/>); null: none.</summary>
    public GradientClipping? Clipping { get; init; }

    /// <summary>Stop at the first update whose squared error is not finite (true), or run on through Infinity/NaN (false).</summary>
    public bool StopOnNonFinite { get; init; } = true;

    /// <summary>Keep the squared error of every update in <see cref="PerSampleSgdResult.Errors"/> (else only the counters).</summary>
    public bool RecordErrors { get; init; } = true;

    /// <summary>Compute in float64 with scalar loops, as numpy does (slow: for short runs); default float32 with the library kernels.</summary>
    public bool Float64 { get; init; }
}

/// <summary>What <see cref="PerSampleSgd.Train"/> did: Errors[u] is Σ_j (pred_j − y_j)² computed at update u (u = 0, 1, ...),
/// i.e. after u updates and before update u, exactly where the asker's loop computes <c>error</c>.</summary>
public sealed record PerSampleSgdResult(
    IReadOnlyList<double> Errors,
    long Updates,
    int SamplesSeen,
    long? FirstNonFiniteUpdate,
    double LastError
)
{
    /// <summary>The first update whose error exceeds <paramref name="threshold"/> (or is not finite); null if none (needs recorded errors).</summary>
    public long? FirstUpdateAbove(double threshold)
    {
        for (int u = 0; u < Errors.Count; u++)
        {
            if (!(Errors[u] <= threshold))
            {
                return u;
            }
        }
        return null;
    }

    /// <summary>The sample (0-based) that update <paramref name="update"/> belongs to, for k updates per sample.</summary>
    public static int SampleOf(long update, int updatesPerSample) => (int)(update / updatesPerSample);
}

/// <summary>
/// Per-sample gradient descent on squared error for a linear model without bias, pred = x·W (W is (inputs, outputs)):
/// for each sample, k times: error = Σ_j (pred_j − y_j)², δ = pred − y, W −= α·outer(x, δ) — the loop of seed question 000.
/// Each update multiplies the residual by (1 − α‖x‖²), so it is stable only while α‖x‖² &lt; 2.
/// </summary>
public static class PerSampleSgd
{
    /// <summary>Trains <paramref name="weights"/> (inputs, outputs) in place on the rows of <paramref name="inputs"/> (n, inputs)
    /// and <paramref name="targets"/> (n, outputs), in row order.</summary>
    public static PerSampleSgdResult Train(Matrix weights, Matrix inputs, Matrix targets, PerSampleSgdOptions options)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        if (inputs.Cols != weights.Rows || targets.Cols != weights.Cols || inputs.Rows != targets.Rows)
        {
            throw new ShapeMismatchException(
                $"Expected inputs (n, {weights.Rows}) and targets (n, {weights.Cols}) for weights {weights.Shape} but got inputs {inputs.Shape} and targets {targets.Shape}"
            );
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.UpdatesPerSample);
        if (!double.IsFinite(options.LearningRate) || options.LearningRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.LearningRate, "The learning rate must be finite and > 0");
        }
        return options.Float64 ? TrainFloat64(weights, inputs, targets, options) : TrainFloat32(weights, inputs, targets, options);
    }

    /// <summary>α·‖x_i‖² for each row i of <paramref name="inputs"/>: the per-sample update is stable only where this is below 2.</summary>
    public static double[] StabilityFactors(Matrix inputs, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var factors = new double[inputs.Rows];
        for (int i = 0; i < inputs.Rows; i++)
        {
            factors[i] = learningRate * ElementWise.SumOfSquares(inputs.Row(i));
        }
        return factors;
    }

    private static PerSampleSgdResult TrainFloat32(Matrix weights, Matrix inputs, Matrix targets, PerSampleSgdOptions options)
    {
        int n = inputs.Rows,
            outputs = weights.Cols,
            k = options.UpdatesPerSample;
        float alpha = (float)options.LearningRate;
        // Wᵀ (outputs, inputs): each output's weights are one contiguous row, so pred_j is a dot product and the update an axpy.
        var parameter = new Parameter("W", weights.Transpose());
        Matrix wt = parameter.Value,
            gradient = parameter.Gradient;
        var x = new Matrix(1, inputs.Cols);
        var delta = new float[outputs];
        var errors = new List<double>(options.RecordErrors ? (int)Math.Min((long)n * k, 1 << 24) : 0);
        long update = 0;
        long? firstNonFinite = null;
        double last = double.NaN;
        int samples = 0;
        for (int i = 0; i < n && !(options.StopOnNonFinite && firstNonFinite is not null); i++)
        {
            samples++;
            inputs.Row(i).CopyTo(x.Data);
            ReadOnlySpan<float> y = targets.Row(i);
            for (int step = 0; step < k; step++, update++)
            {
                float error = 0f;
                for (int j = 0; j < outputs; j++)
                {
                    delta[j] = Dot(x.Data, wt.Row(j)) - y[j];
                    error += delta[j] * delta[j];
                }
                last = error;
                if (options.RecordErrors)
                {
                    errors.Add(error);
                }
                if (!float.IsFinite(error) && firstNonFinite is null)
                {
                    firstNonFinite = update;
                    if (options.StopOnNonFinite)
                    {
                        update++;
                        break;
                    }
                }
                if (options.Clipping is null)
                {
                    for (int j = 0; j < outputs; j++)
                    {
                        ElementWise.Axpy(-alpha * delta[j], x.Data, wt.Row(j));
                    }
                }
                else
                {
                    for (int j = 0; j < outputs; j++)
                    {
                        Span<float> g = gradient.Row(j);
                        x.Data.CopyTo(g);
                        ElementWise.Scale(g, delta[j]);
                    }
                    options.Clipping.Apply([parameter]);
                    ElementWise.Axpy(-alpha, gradient.Data, wt.Data);
                }
            }
        }
        wt.Transpose().CopyTo(weights);
        return new PerSampleSgdResult(errors, update, samples, firstNonFinite, last);
    }

    private static PerSampleSgdResult TrainFloat64(Matrix weights, Matrix inputs, Matrix targets, PerSampleSgdOptions options)
    {
        int n = inputs.Rows,
            d = inputs.Cols,
            outputs = weights.Cols,
            k = options.UpdatesPerSample;
        double alpha = options.LearningRate;
        var w = new double[d * outputs]; // (inputs, outputs) row-major, as numpy's weights
        for (int t = 0; t < w.Length; t++)
        {
            w[t] = weights.Data[t];
        }
        var x = new double[d];
        var delta = new double[outputs];
        var g = new double[d * outputs];
        var errors = new List<double>();
        long update = 0;
        long? firstNonFinite = null;
        double last = double.NaN;
        int samples = 0;
        for (int i = 0; i < n && !(options.StopOnNonFinite && firstNonFinite is not null); i++)
        {
            samples++;
            ReadOnlySpan<float> xi = inputs.Row(i),
                y = targets.Row(i);
            for (int p = 0; p < d; p++)
            {
                x[p] = xi[p];
            }
            for (int step = 0; step < k; step++, update++)
            {
                double error = 0;
                for (int j = 0; j < outputs; j++)
                {
                    double s = 0;
                    for (int p = 0; p < d; p++)
                    {
                        s += x[p] * w[(p * outputs) + j];
                    }
                    delta[j] = s - y[j];
                    error += delta[j] * delta[j];
                }
                last = error;
                if (options.RecordErrors)
                {
                    errors.Add(error);
                }
                if (!double.IsFinite(error) && firstNonFinite is null)
                {
                    firstNonFinite = update;
                    if (options.StopOnNonFinite)
                    {
                        update++;
                        break;
                    }
                }
                for (int p = 0; p < d; p++)
                {
                    for (int j = 0; j < outputs; j++)
                    {
                        g[(p * outputs) + j] = x[p] * delta[j];
                    }
                }
                ClipFloat64(g, options.Clipping);
                for (int t = 0; t < w.Length; t++)
                {
                    w[t] -= alpha * g[t];
                }
            }
        }
        for (int t = 0; t < w.Length; t++)
        {
            weights.Data[t] = (float)w[t];
        }
        return new PerSampleSgdResult(errors, update, samples, firstNonFinite, last);
    }

    /// <summary>Σ a_i·b_i in float32 with <see cref="Vector{T}"/> lanes (then the remainder): a (1, 784)·(784, 10) product is
    /// too small for the blocked, threaded <see cref="MatMul"/>, whose set-up cost dominates at this size.</summary>
    internal static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length,
            width = Vector<float>.Count,
            i = 0;
        var sum = Vector<float>.Zero;
        for (; i <= n - width; i += width)
        {
            sum += new Vector<float>(a.Slice(i, width)) * new Vector<float>(b.Slice(i, width));
        }
        float total = Vector.Sum(sum);
        for (; i < n; i++)
        {
            total += a[i] * b[i];
        }
        return total;
    }

    /// <summary>The float64 twin of <see cref="ByGlobalNorm"/> / <see cref="ByValue"/> on one gradient.</summary>
    private static void ClipFloat64(double[] g, GradientClipping? clipping)
    {
        switch (clipping)
        {
            case null:
                return;
            case ByGlobalNorm byNorm:
                double sum = 0;
                foreach (double v in g)
                {
                    sum += v * v;
                }
                double norm = Math.Sqrt(sum);
                if (norm > byNorm.MaxNorm || !double.IsFinite(norm))
                {
                    double scale = byNorm.MaxNorm / norm;
                    for (int t = 0; t < g.Length; t++)
                    {
                        g[t] *= scale;
                    }
                }
                return;
            case ByValue byValue:
                for (int t = 0; t < g.Length; t++)
                {
                    g[t] =
                        g[t] > byValue.Limit ? byValue.Limit
                        : g[t] < -byValue.Limit ? -byValue.Limit
                        : g[t];
                }
                return;
            default:
                throw new NotSupportedException(
                    $"Expected ByGlobalNorm, ByValue or null clipping in float64 but got {clipping.GetType().Name}"
                );
        }
    }
}

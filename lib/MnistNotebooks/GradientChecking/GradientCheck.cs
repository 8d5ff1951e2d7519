using System.Numerics;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.GradientChecking;

/// <summary>Compares analytic gradients a with central differences n = (L(w + h) − L(w − h)) / 2h, entry by entry.
/// <see cref="Check"/> runs a copy of the model in double (or, to show why not, in float32); Compare
/// checks any gradients against any loss function, such as a hand-written backprop. Large tensors are sampled.</summary>
/// <example><code>
/// var result = GradientCheck.Check(model, new SoftmaxCrossEntropy(), x, labels);
/// Console.WriteLine(result);   // dense1.W (784, 300) | max abs 3.1e-06 | max rel 2.0e-04 | OK …
/// </code></example>
public static class GradientCheck
{
    /// <summary>Copies <paramref name="model"/> and <paramref name="loss"/> into the precision of
    /// <see cref="GradientCheckOptions.Precision"/> (float32 weights widen exactly to double), runs them forward and backward
    /// once for the analytic gradients, then checks every parameter against central differences of the same copy, in
    /// evaluation mode (no dropout). The model itself is not touched.</summary>
    public static GradientCheckResult Check<T>(
        Layer<T> model,
        ILoss<T> loss,
        Matrix<T> input,
        ReadOnlySpan<int> labels,
        GradientCheckOptions? options = null
    )
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(input);
        options ??= new GradientCheckOptions();
        return options.Precision == CheckPrecision.Float32
            ? CheckIn<T, float>(model, loss, input, labels.ToArray(), options)
            : CheckIn<T, double>(model, loss, input, labels.ToArray(), options);
    }

    /// <summary>Checks each tensor's given analytic gradient against central differences of <paramref name="loss"/>, which
    /// must read the tensors' current values: each sampled entry is moved by ±h in T and restored exactly.</summary>
    public static GradientCheckResult Compare<T>(
        IReadOnlyList<(string Name, Matrix<T> Value, Matrix<T> Gradient)> tensors,
        Func<T> loss,
        GradientCheckOptions? options = null
    )
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(loss);
        options ??= new GradientCheckOptions();
        CheckOptions(options);
        var rng = new RandomState(options.Seed);
        T h = T.CreateTruncating(options.Epsilon);
        double floor = options.AbsoluteTolerance / options.RelativeTolerance;
        var rows = new TensorCheck[tensors.Count];
        for (int t = 0; t < tensors.Count; t++)
        {
            (string name, Matrix<T> value, Matrix<T> gradient) = tensors[t];
            ShapeMismatchException.ThrowIfNot(gradient, value.Rows, value.Cols, $"gradient of {name}");
            rows[t] = CheckTensor(name, value, gradient, Sample(value.Length, options.MaxEntriesPerTensor, rng), loss, h, options, floor);
        }
        return new GradientCheckResult(rows, typeof(T) == typeof(float) ? CheckPrecision.Float32 : CheckPrecision.Double, options.Epsilon);
    }

    /// <summary>As <see cref="Compare{T}(IReadOnlyList{ValueTuple{string, Matrix{T}, Matrix{T}}}, Func{T}, GradientCheckOptions?)"/>
    /// with each parameter's <see cref="Parameter{T}.Gradient"/> as its analytic gradient (fill them first).</summary>
    public static GradientCheckResult Compare<T>(IReadOnlyList<Parameter<T>> parameters, Func<T> loss, GradientCheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Compare([.. parameters.Select(p => (p.Name, p.Value, p.Gradient.Clone()))], loss, options);
    }

    private static GradientCheckResult CheckIn<T, TCheck>(
        Layer<T> model,
        ILoss<T> loss,
        Matrix<T> input,
        int[] labels,
        GradientCheckOptions options
    )
        where T : unmanaged, IFloatingPointIeee754<T>
        where TCheck : unmanaged, IFloatingPointIeee754<TCheck>
    {
        Layer<TCheck> copy = model.Convert<TCheck>();
        // Evaluation mode: a dropout layer drawing a fresh mask at every forward would make central differences meaningless.
        copy.Training = false;
        ILoss<TCheck> checkLoss = loss.Convert<TCheck>();
        Matrix<TCheck> x = input.Convert<TCheck>();
        copy.ZeroGradients();
        checkLoss.Forward(copy.Forward(x), labels);
        copy.Backward(checkLoss.Backward());
        return Compare(copy.Parameters, () => checkLoss.Forward(copy.Forward(x), labels), options);
    }

    private static TensorCheck CheckTensor<T>(
        string name,
        Matrix<T> value,
        Matrix<T> gradient,
        int[] indices,
        Func<T> loss,
        T h,
        GradientCheckOptions options,
        double floor
    )
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double maxAbs = 0,
            maxRel = 0,
            worstA = 0,
            worstN = 0;
        int worst = -1;
        bool passed = true;
        T[] w = value.Data;
        foreach (int i in indices)
        {
            T saved = w[i];
            T plus,
                minus;
            try
            {
                w[i] = saved + h;
                plus = loss();
                w[i] = saved - h;
                minus = loss();
            }
            finally
            {
                w[i] = saved;
            }
            double n = double.CreateTruncating((plus - minus) / (h + h));
            double a = double.CreateTruncating(gradient.Data[i]);
            double abs = Math.Abs(a - n);
            double rel = abs / Math.Max(Math.Max(Math.Abs(a), Math.Abs(n)), floor);
            // NaN compares false: a NaN on either side fails and is reported as the worst entry.
            passed &= rel <= options.RelativeTolerance;
            if (worst < 0 || IsWorse(rel, maxRel))
            {
                (maxRel, worst, worstA, worstN) = (rel, i, a, n);
            }
            if (IsWorse(abs, maxAbs))
            {
                maxAbs = abs;
            }
        }
        return new TensorCheck(name, value.Rows, value.Cols, indices.Length, maxAbs, maxRel, worst, worstA, worstN, passed);
    }

    /// <summary>NaN is worse than any number, and stays the worst once seen.</summary>
    private static bool IsWorse(double x, double current) => !double.IsNaN(current) && (double.IsNaN(x) || x > current);

    /// <summary>All of 0..length−1, or the first <paramref name="max"/> of numpy's <c>permutation(length)</c>, ascending.</summary>
    private static int[] Sample(int length, int max, RandomState rng)
    {
        if (length <= max)
        {
            return [.. Enumerable.Range(0, length)];
        }
        int[] picked = rng.Permutation(length)[..max];
        Array.Sort(picked);
        return picked;
    }

    private static void CheckOptions(GradientCheckOptions options)
    {
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

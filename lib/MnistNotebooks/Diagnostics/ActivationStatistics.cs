using System.Globalization;
using System.Numerics;
using MnistNotebooks.Layers;

namespace MnistNotebooks.Diagnostics;

/// <summary>Statistics of one layer's output Y (batch, units) from one forward pass.</summary>
/// <param name="Layer">The layer name.</param>
/// <param name="Kind">What the output is; decides which fractions apply.</param>
/// <param name="Shape">Y's shape, e.g. <c>(128, 16)</c>.</param>
/// <param name="Mean">Mean over every element.</param>
/// <param name="Std">Population standard deviation over every element.</param>
/// <param name="Min">Smallest element.</param>
/// <param name="Max">Largest element.</param>
/// <param name="SaturatedFraction">Sigmoid: fraction of elements with y &lt; margin or y &gt; 1 − margin;
/// Tanh: fraction with |y| &gt; 1 − margin; NaN for other kinds.</param>
/// <param name="ZeroFraction">Relu: fraction of elements that are ≤ 0 (no gradient flows through them); NaN otherwise.</param>
/// <param name="DeadFraction">Relu: fraction of units (columns) that are ≤ 0 for every sample in the batch; NaN otherwise.</param>
/// <param name="NonFiniteCount">NaN or ±Infinity elements (excluded from the other statistics).</param>
public sealed record ActivationStats(
    string Layer,
    ActivationKind Kind,
    string Shape,
    double Mean,
    double Std,
    double Min,
    double Max,
    double SaturatedFraction,
    double ZeroFraction,
    double DeadFraction,
    int NonFiniteCount
)
{
    public override string ToString()
    {
        string extra = Kind switch
        {
            ActivationKind.Sigmoid or ActivationKind.Tanh => Fmt($" | saturated {SaturatedFraction:0.0%}"),
            ActivationKind.Relu => Fmt($" | zero {ZeroFraction:0.0%} | dead units {DeadFraction:0.0%}"),
            _ => "",
        };
        string nonFinite = NonFiniteCount > 0 ? Fmt($" | {NonFiniteCount} non-finite") : "";
        return Fmt(
            $"{Layer} {Shape} {Kind.ToString().ToLowerInvariant()} | mean {Mean:+0.0000;-0.0000} std {Std:0.0000} | min {Min:0.0000} max {Max:0.0000}{extra}{nonFinite}"
        );
    }

    private static string Fmt(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Per-layer activation statistics: how saturated the sigmoids are, how many ReLUs are dead.</summary>
public static class ActivationStatistics
{
    /// <summary>The default saturation margin: a sigmoid is saturated below 0.01 or above 0.99, a tanh beyond ±0.99.</summary>
    public const double DefaultSaturationMargin = 0.01;

    /// <summary>Runs <paramref name="model"/>.Forward(<paramref name="input"/>) and returns the statistics of every
    /// layer's output, in order. The kind of each layer comes from <paramref name="kindOf"/> when given,
    /// else from <see cref="ActivationKinds.Detect"/>.</summary>
    public static IReadOnlyList<ActivationStats> Of<T>(
        Sequential<T> model,
        Matrix<T> input,
        double saturationMargin = DefaultSaturationMargin,
        Func<Layer<T>, ActivationKind>? kindOf = null
    )
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Forward(input);
        return OfLastForward(model, saturationMargin, kindOf);
    }

    /// <summary>The statistics of every layer's output from the model's last Forward (<see cref="Sequential{T}.Outputs"/>),
    /// without running it again, e.g. right after a training step.</summary>
    public static IReadOnlyList<ActivationStats> OfLastForward<T>(
        Sequential<T> model,
        double saturationMargin = DefaultSaturationMargin,
        Func<Layer<T>, ActivationKind>? kindOf = null
    )
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Outputs.Count > 0 && model.Outputs[0] is null)
        {
            throw new InvalidOperationException($"Model '{model.Name}' has not run Forward yet");
        }
        var stats = new ActivationStats[model.Layers.Count];
        for (int i = 0; i < stats.Length; i++)
        {
            Layer<T> layer = model.Layers[i];
            stats[i] = Compute(layer.Name, model.Outputs[i], kindOf?.Invoke(layer) ?? ActivationKinds.Detect(layer), saturationMargin);
        }
        return stats;
    }

    /// <summary>The statistics of one output <paramref name="y"/> (batch, units) of the given kind.</summary>
    public static ActivationStats Compute<T>(
        string layer,
        Matrix<T> y,
        ActivationKind kind,
        double saturationMargin = DefaultSaturationMargin
    )
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(y);
        if (!(saturationMargin is >= 0 and < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(saturationMargin), saturationMargin, "Expected a margin in [0, 0.5)");
        }
        double sum = 0,
            sumSq = 0;
        double min = double.PositiveInfinity,
            max = double.NegativeInfinity;
        int finite = 0,
            saturated = 0,
            zero = 0,
            nonFinite = 0;
        // Saturation is judged in T, so a float output of exactly 0.99f is not beyond a margin of 0.01.
        T low = T.CreateTruncating(saturationMargin),
            high = T.One - low;
        foreach (T t in y.Data)
        {
            double v = double.CreateTruncating(t);
            if (!double.IsFinite(v))
            {
                nonFinite++;
                continue;
            }
            finite++;
            sum += v;
            sumSq += v * v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            switch (kind)
            {
                case ActivationKind.Sigmoid when t < low || t > high:
                case ActivationKind.Tanh when T.Abs(t) > high:
                    saturated++;
                    break;
                case ActivationKind.Relu when v <= 0:
                    zero++;
                    break;
            }
        }
        double mean = finite == 0 ? double.NaN : sum / finite;
        double std = finite == 0 ? double.NaN : Math.Sqrt(Math.Max(0, sumSq / finite - mean * mean));
        double saturatedFraction =
            kind is ActivationKind.Sigmoid or ActivationKind.Tanh && finite > 0 ? (double)saturated / finite : double.NaN;
        double zeroFraction = double.NaN,
            deadFraction = double.NaN;
        if (kind == ActivationKind.Relu && y.Length > 0)
        {
            zeroFraction = finite == 0 ? double.NaN : (double)zero / finite;
            deadFraction = (double)DeadUnits(y) / y.Cols;
        }
        return new ActivationStats(
            layer,
            kind,
            y.Shape,
            mean,
            std,
            finite == 0 ? double.NaN : min,
            finite == 0 ? double.NaN : max,
            saturatedFraction,
            zeroFraction,
            deadFraction,
            nonFinite
        );
    }

    /// <summary>The number of columns of <paramref name="y"/> that are ≤ 0 in every row: ReLU units dead on this batch.</summary>
    public static int DeadUnits<T>(Matrix<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(y);
        if (y.Rows == 0)
        {
            return 0;
        }
        int dead = 0;
        for (int c = 0; c < y.Cols; c++)
        {
            bool alive = false;
            for (int r = 0; r < y.Rows && !alive; r++)
            {
                alive = y.Data[r * y.Cols + c] > T.Zero;
            }
            if (!alive)
            {
                dead++;
            }
        }
        return dead;
    }
}

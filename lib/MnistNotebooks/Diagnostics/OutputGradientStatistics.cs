using System.Globalization;
using System.Numerics;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;

namespace MnistNotebooks.Diagnostics;

/// <summary>Statistics of the gradient dL/dY (batch, units) arriving at one layer's output in one backward pass.</summary>
/// <param name="Layer">The layer name.</param>
/// <param name="Kind">The layer's kind, e.g. <c>tanh</c>.</param>
/// <param name="Shape">dL/dY's shape.</param>
/// <param name="Mean">Mean over every element.</param>
/// <param name="Std">Population standard deviation over every element.</param>
/// <param name="MaxAbs">Largest |element|.</param>
/// <param name="NonFiniteCount">NaN or ±Infinity elements (excluded from the other statistics).</param>
public sealed record OutputGradientStats(
    string Layer,
    string Kind,
    string Shape,
    double Mean,
    double Std,
    double MaxAbs,
    int NonFiniteCount
)
{
    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{Layer} {Shape} | dL/dY mean {Mean:+0.000e+00;-0.000e+00} std {Std:0.000e+00} | max |g| {MaxAbs:0.000e+00}"
        );
}

/// <summary>The gradient arriving at each layer's output of a <see cref="Sequential{T}"/>: dL/dYᵢ = dL/dXᵢ₊₁, the next
/// layer's input gradient from the last Backward (<see cref="Sequential{T}.InputGradients"/>). The last layer's dL/dY is
/// the loss's gradient, which the model does not keep, so it has no entry.</summary>
public static class OutputGradientStatistics
{
    /// <summary>Runs one forward and full backward pass of <paramref name="loss"/> on (<paramref name="x"/>,
    /// <paramref name="labels"/>) from zeroed gradients, without updating anything, and returns <see cref="OfLastBackward"/>.
    /// The parameters' gradients are left as that pass made them.</summary>
    public static IReadOnlyList<OutputGradientStats> Of<T>(Sequential<T> model, ILoss<T> loss, Matrix<T> x, ReadOnlySpan<int> labels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        model.ZeroGradients();
        loss.Forward(model.Forward(x), labels);
        model.Backward(loss.Backward());
        return OfLastBackward(model);
    }

    /// <summary>The statistics of dL/dYᵢ for every layer but the last, in order, from the model's last full Backward.</summary>
    public static IReadOnlyList<OutputGradientStats> OfLastBackward<T>(Sequential<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        var stats = new OutputGradientStats[model.Layers.Count - 1];
        for (int i = 0; i < stats.Length; i++)
        {
            Layer<T> layer = model.Layers[i];
            ActivationStats s = ActivationStatistics.Compute(layer.Name, Gradient(model, i), ActivationKind.Other);
            stats[i] = new OutputGradientStats(layer.Name, layer.Kind, s.Shape, s.Mean, s.Std, Math.Max(-s.Min, s.Max), s.NonFiniteCount);
        }
        return stats;
    }

    /// <summary>dL/dY of layer <paramref name="layer"/> (0-based, not the last) from the last full Backward; owned by
    /// the model (read, do not keep).</summary>
    public static Matrix<T> Gradient<T>(Sequential<T> model, int layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        if ((uint)layer >= (uint)(model.Layers.Count - 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(layer),
                layer,
                $"Expected a layer in [0, {model.Layers.Count - 1}): the last layer's dL/dY is the loss's gradient"
            );
        }
        return model.InputGradients[layer + 1]
            ?? throw new InvalidOperationException(
                $"Model '{model.Name}' has no input gradient of layer {layer + 1}: run a full Backward first"
            );
    }
}

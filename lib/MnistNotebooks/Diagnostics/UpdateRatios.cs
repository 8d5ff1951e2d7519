using System.Globalization;
using System.Numerics;
using MnistNotebooks.Layers;
using MnistNotebooks.Optimizers;

namespace MnistNotebooks.Diagnostics;

/// <summary>How much one optimizer step moved a parameter relative to its size: Ratio = ‖W_after − W_before‖ / ‖W_before‖.
/// Around 1e-3 is healthy; far above means the step is too large, far below that it barely learns.
/// When ‖W_before‖ = 0 (e.g. zero-initialised biases) the ratio is +Infinity if the parameter moved, else 0.</summary>
public sealed record UpdateRatio(string Parameter, double UpdateNorm, double WeightNorm)
{
    public double Ratio => Of(UpdateNorm, WeightNorm);

    /// <summary>Base-10 logarithm of <see cref="Ratio"/> (≈ −3 is healthy), as Karpathy plots it.</summary>
    public double Log10Ratio => Math.Log10(Ratio);

    internal static double Of(double update, double weight) =>
        weight > 0 ? update / weight
        : update > 0 ? double.PositiveInfinity
        : 0;

    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{Parameter} | ‖ΔW‖ {UpdateNorm:0.000e+00} / ‖W‖ {WeightNorm:0.000e+00} = {Ratio:0.000e+00}"
        );
}

/// <summary>Measures update-to-weight ratios around an optimizer step: <see cref="Before"/> snapshots every parameter
/// into buffers allocated once, <see cref="After(Span{double})"/> compares. Allocation-free after construction.</summary>
public sealed class UpdateRatioTracker<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] parameters;
    private readonly T[][] snapshots;
    private readonly double[] weightNorms;
    private bool hasSnapshot;

    public UpdateRatioTracker(IEnumerable<Parameter<T>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = [.. parameters];
        snapshots = [.. this.parameters.Select(p => new T[p.Value.Length])];
        weightNorms = new double[this.parameters.Length];
    }

    public IReadOnlyList<Parameter<T>> Parameters => parameters;

    /// <summary>Snapshots every parameter's value and norm; call just before the optimizer step.</summary>
    public void Before()
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i].Value.Data.AsSpan().CopyTo(snapshots[i]);
            weightNorms[i] = GradientNorms.L2<T>(snapshots[i]);
        }
        hasSnapshot = true;
    }

    /// <summary>Writes ‖W_after − W_before‖ / ‖W_before‖ for each parameter into <paramref name="ratios"/>; call just after the step.</summary>
    public void After(Span<double> ratios)
    {
        if (ratios.Length != parameters.Length)
        {
            throw new ArgumentException($"Expected room for {parameters.Length} ratios but got {ratios.Length}", nameof(ratios));
        }
        for (int i = 0; i < parameters.Length; i++)
        {
            ratios[i] = UpdateRatio.Of(UpdateNorm(i), weightNorms[i]);
        }
    }

    /// <summary>The ratios as records; call just after the step.</summary>
    public IReadOnlyList<UpdateRatio> After()
    {
        var result = new UpdateRatio[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            result[i] = new UpdateRatio(parameters[i].Name, UpdateNorm(i), weightNorms[i]);
        }
        return result;
    }

    /// <summary>Snapshots, runs <paramref name="optimizer"/>.Step() once and returns the ratio of each of its parameters.</summary>
    public static IReadOnlyList<UpdateRatio> AroundStep(Optimizer<T> optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var tracker = new UpdateRatioTracker<T>(optimizer.Parameters);
        tracker.Before();
        optimizer.Step();
        return tracker.After();
    }

    private double UpdateNorm(int i)
    {
        if (!hasSnapshot)
        {
            throw new InvalidOperationException("Call Before() before the optimizer step, then After()");
        }
        ReadOnlySpan<T> now = parameters[i].Value.Data;
        ReadOnlySpan<T> before = snapshots[i];
        double s = 0;
        for (int k = 0; k < now.Length; k++)
        {
            double d = double.CreateTruncating(now[k]) - double.CreateTruncating(before[k]);
            s += d * d;
        }
        return Math.Sqrt(s);
    }
}

using System.Numerics;
using MnistNotebooks.Charting;
using MnistNotebooks.Layers;
using MnistNotebooks.Training;

namespace MnistNotebooks.Diagnostics;

/// <summary>Watches a run from inside: at global step 1 and every <c>every</c>-th step it records each layer's
/// <see cref="ActivationStats"/> of that step's batch (the forward before the update), each parameter's gradient norm
/// ‖g‖₂ and its update-to-weight ratio ‖W_t − W_{t−1}‖ / ‖W_{t−1}‖ of that very step; at the steps named in
/// <c>histogramSteps</c> it also keeps a copy of every activation layer's output. Create it just before Fit (it
/// snapshots the weights at creation, for step 1's ratio); it never changes the run.</summary>
public sealed class TrainingTrace<T> : ITrainingObserver<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Sequential<T> model;
    private readonly int every;
    private readonly double saturationMargin;
    private readonly HashSet<long> histogramSteps;
    private readonly UpdateRatioTracker<T> tracker;
    private readonly List<long> steps = [];
    private readonly List<double> losses = [];
    private readonly List<IReadOnlyList<ActivationStats>> activations = [];
    private readonly List<IReadOnlyList<GradientNorm>> gradients = [];
    private readonly List<IReadOnlyList<UpdateRatio>> ratios = [];
    private readonly Dictionary<long, IReadOnlyList<(string Layer, float[] Values)>> histograms = [];

    public TrainingTrace(
        Sequential<T> model,
        int every = 10,
        IEnumerable<long>? histogramSteps = null,
        double saturationMargin = ActivationStatistics.DefaultSaturationMargin
    )
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        this.model = model;
        this.every = every;
        this.saturationMargin = saturationMargin;
        this.histogramSteps = [.. histogramSteps ?? []];
        tracker = new UpdateRatioTracker<T>(model.Parameters);
        tracker.Before();
    }

    /// <summary>The global steps recorded (1, every, 2·every, …).</summary>
    public IReadOnlyList<long> Steps => steps;

    /// <summary>The batch loss at each recorded step.</summary>
    public IReadOnlyList<double> Losses => losses;

    /// <summary>Per recorded step, every layer's activation statistics, in layer order.</summary>
    public IReadOnlyList<IReadOnlyList<ActivationStats>> Activations => activations;

    /// <summary>Per recorded step, every parameter's gradient norm, in parameter order.</summary>
    public IReadOnlyList<IReadOnlyList<GradientNorm>> Gradients => gradients;

    /// <summary>Per recorded step, every parameter's update-to-weight ratio of that step.</summary>
    public IReadOnlyList<IReadOnlyList<UpdateRatio>> Ratios => ratios;

    /// <summary>The activation layers' outputs (as float) at each step of <c>histogramSteps</c> reached.</summary>
    public IReadOnlyDictionary<long, IReadOnlyList<(string Layer, float[] Values)>> Histograms => histograms;

    /// <summary>The names of the layers whose kind is sigmoid, tanh or relu.</summary>
    public IReadOnlyList<string> ActivationLayers =>
        [.. model.Layers.Where(l => ActivationKinds.Detect(l) != ActivationKind.Other).Select(l => l.Name)];

    /// <summary>The weight matrices' names (role W), e.g. <c>dense1.W</c>.</summary>
    public IReadOnlyList<string> WeightParameters => [.. model.Parameters.Where(p => p.Role == "W").Select(p => p.Name)];

    public bool OnStep(TrainingStep<T> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        long t = step.GlobalStep;
        if (t == 1 || t % every == 0)
        {
            steps.Add(t);
            losses.Add(step.Loss);
            activations.Add(ActivationStatistics.OfLastForward(model, saturationMargin));
            gradients.Add(GradientNorms.Of(model.Parameters));
            ratios.Add(tracker.After());
        }
        if (histogramSteps.Contains(t))
        {
            histograms[t] =
            [
                .. model
                    .Layers.Select((l, i) => (Layer: l, Output: model.Outputs[i]))
                    .Where(p => ActivationKinds.Detect(p.Layer) != ActivationKind.Other)
                    .Select(p => (p.Layer.Name, p.Output.Data.Select(float.CreateTruncating).ToArray())),
            ];
        }
        if ((t + 1) % every == 0)
        {
            tracker.Before(); // the weights before step t + 1, a recorded one
        }
        return false;
    }

    /// <summary>One curve per layer in <paramref name="layers"/> (default: the activation layers) of
    /// <paramref name="pick"/> over the recorded steps, e.g. <c>s =&gt; s.SaturatedFraction</c>.</summary>
    public IReadOnlyList<Series> ActivationSeries(Func<ActivationStats, double> pick, IEnumerable<string>? layers = null)
    {
        ArgumentNullException.ThrowIfNull(pick);
        return [.. (layers ?? ActivationLayers).Select(name => Curve(name, activations.Select(a => pick(a.Single(s => s.Layer == name)))))];
    }

    /// <summary>One curve per weight matrix of ‖g‖₂ over the recorded steps.</summary>
    public IReadOnlyList<Series> GradientNormSeries() =>
        [.. WeightParameters.Select(name => Curve(name, gradients.Select(g => g.Single(n => n.Parameter == name).Norm)))];

    /// <summary>One curve per weight matrix of the update-to-weight ratio over the recorded steps.</summary>
    public IReadOnlyList<Series> UpdateRatioSeries() =>
        [.. WeightParameters.Select(name => Curve(name, ratios.Select(r => r.Single(u => u.Parameter == name).Ratio)))];

    /// <summary>The values of one parameter's update ratio over the recorded steps.</summary>
    public double[] RatioOf(string parameter) => [.. ratios.Select(r => r.Single(u => u.Parameter == parameter).Ratio)];

    /// <summary>The values of one parameter's gradient norm over the recorded steps.</summary>
    public double[] GradientNormOf(string parameter) => [.. gradients.Select(g => g.Single(n => n.Parameter == parameter).Norm)];

    /// <summary>The values of <paramref name="pick"/> for one layer over the recorded steps.</summary>
    public double[] ActivationOf(string layer, Func<ActivationStats, double> pick)
    {
        ArgumentNullException.ThrowIfNull(pick);
        return [.. activations.Select(a => pick(a.Single(s => s.Layer == layer)))];
    }

    private Series Curve(string name, IEnumerable<double> y) => Series.WithX(name, steps.Select(s => (double)s), y);
}

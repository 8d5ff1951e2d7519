using System.Numerics;
using MnistNotebooks.Kernels;
using MnistNotebooks.Layers;

namespace MnistNotebooks.Optimizers;

/// <summary>Bookkeeping shared by every optimizer: the parameters, a validated learning rate, L2 weight decay,
/// gradient clipping and the step count. Each optimizer adds only its update rule. Hyper-parameters are given in
/// double and rounded to T where they are used, as PyTorch does with its Python floats.</summary>
public abstract class Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private double learningRate;

    protected Optimizer(IEnumerable<Parameter<T>> parameters, double learningRate, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = [.. parameters];
        if (Parameters.Count == 0)
        {
            throw new ArgumentException("An optimizer needs at least one parameter", nameof(parameters));
        }
        LearningRate = learningRate;
        WeightDecay = CheckRange(weightDecay, 0, double.PositiveInfinity, nameof(weightDecay), "≥ 0 and finite", upperOpen: true);
    }

    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The step size α; must be finite and &gt; 0.</summary>
    public double LearningRate
    {
        get => learningRate;
        set =>
            learningRate =
                double.IsFinite(value) && value > 0
                    ? value
                    : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "The learning rate must be finite and > 0");
    }

    /// <summary>λ of L2 weight decay, g += λ·w before the update (the gradient of λ/2·‖w‖²); AdamW decouples it instead.</summary>
    public double WeightDecay { get; }

    /// <summary>Optional clipping applied to the gradients before each update.</summary>
    public GradientClipping? Clipping { get; init; }

    /// <summary>How many times <see cref="Step"/> has run.</summary>
    public long StepCount { get; private set; }

    /// <summary>Applies weight decay and clipping to the gradients, then updates every parameter once.</summary>
    public void Step()
    {
        StepCount++;
        if (WeightDecay > 0 && !DecouplesWeightDecay)
        {
            T lambda = T.CreateTruncating(WeightDecay);
            for (int i = 0; i < Parameters.Count; i++)
            {
                ElementWise.Axpy<T>(lambda, Parameters[i].Value.Data, Parameters[i].Gradient.Data);
            }
        }
        Clipping?.Apply(Parameters);
        for (int i = 0; i < Parameters.Count; i++)
        {
            Update(i, Parameters[i]);
        }
    }

    /// <summary>True when the rule applies <see cref="WeightDecay"/> to the weights itself (AdamW) instead of to g.</summary>
    private protected virtual bool DecouplesWeightDecay => false;

    /// <summary>The update rule for parameter <paramref name="index"/>, reading <see cref="Parameter{T}.Gradient"/>.</summary>
    protected abstract void Update(int index, Parameter<T> parameter);

    /// <summary>One zeroed state array per parameter, e.g. Adam's first moments.</summary>
    protected T[][] NewState() => [.. Parameters.Select(p => new T[p.Value.Length])];

    /// <summary>Returns <paramref name="value"/> when it lies in [low, high) (or [low, high] unless upperOpen), else throws.</summary>
    protected static double CheckRange(double value, double low, double high, string name, string expected, bool upperOpen = true)
    {
        bool ok = double.IsFinite(value) && value >= low && (upperOpen ? value < high : value <= high);
        return ok ? value : throw new ArgumentOutOfRangeException(name, value, $"Expected {name} {expected}");
    }
}

using System.Numerics;
using MnistNotebooks.Optimizers;

namespace MnistNotebooks.Training;

/// <summary>The learning-rate range test (Smith 2017; fast.ai's lr_find), as a trainer observer: step k = 0 … n−1 uses
/// α_k = start·(end/start)^(k/(n−1)) and records that step's batch loss L_k (computed before its update) and
/// S_k = EMA_β(L)_k / (1 − β^(k+1)); it stops after n steps, at a non-finite L_k, or once S_k &gt; divergence·min S.
/// Add it to <see cref="Trainer{T}.Observers"/> and fit for <see cref="EpochsFor"/> epochs: it sets the optimizer's
/// learning rate itself.</summary>
public sealed class LearningRateRangeTest<T> : ITrainingObserver<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Optimizer<T> optimizer;
    private readonly List<double> rates = [];
    private readonly List<double> losses = [];
    private readonly List<double> smoothed = [];
    private double average;

    public LearningRateRangeTest(Optimizer<T> optimizer, double start, double end, int steps, double smoothing = 0.9, double divergence = 4)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!(double.IsFinite(start) && start > 0 && double.IsFinite(end) && end > start))
        {
            throw new ArgumentOutOfRangeException(nameof(end), end, $"Expected 0 < start < end, finite; got start {start}");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        if (!(smoothing >= 0 && smoothing < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "Expected a smoothing in [0, 1)");
        }
        if (!(divergence > 1 && double.IsFinite(divergence)))
        {
            throw new ArgumentOutOfRangeException(nameof(divergence), divergence, "Expected a divergence factor > 1");
        }
        (this.optimizer, Start, End, Steps, Smoothing, Divergence) = (optimizer, start, end, steps, smoothing, divergence);
        optimizer.LearningRate = start;
    }

    public double Start { get; }

    public double End { get; }

    /// <summary>n, the most steps the test takes.</summary>
    public int Steps { get; }

    /// <summary>β of the exponential moving average of the loss.</summary>
    public double Smoothing { get; }

    /// <summary>The test stops once the smoothed loss exceeds this many times its minimum.</summary>
    public double Divergence { get; }

    /// <summary>α_k of each step taken.</summary>
    public IReadOnlyList<double> LearningRates => rates;

    /// <summary>L_k, the batch loss of each step taken.</summary>
    public IReadOnlyList<double> Losses => losses;

    /// <summary>S_k, the bias-corrected moving average of the losses.</summary>
    public IReadOnlyList<double> SmoothedLosses => smoothed;

    /// <summary>True when the test stopped on a non-finite loss or a smoothed loss above Divergence·min.</summary>
    public bool Diverged { get; private set; }

    /// <summary>The rate at the lowest smoothed loss.</summary>
    public double MinimumRate => rates[IndexOfMinimum()];

    /// <summary>The rate where the smoothed loss falls fastest per unit of ln α (central differences, steps 1 … the
    /// minimum): the usual pick.</summary>
    public double SteepestRate
    {
        get
        {
            int last = Math.Min(IndexOfMinimum(), smoothed.Count - 2);
            int best = Math.Max(last, 0);
            double bestSlope = double.PositiveInfinity;
            for (int k = 1; k <= last; k++)
            {
                double slope = (smoothed[k + 1] - smoothed[k - 1]) / Math.Log(rates[k + 1] / rates[k - 1]);
                if (slope < bestSlope)
                {
                    (bestSlope, best) = (slope, k);
                }
            }
            return rates[best];
        }
    }

    /// <summary>α_k = start·(end/start)^(k/(n−1)).</summary>
    public double RateAt(int k) => Start * Math.Pow(End / Start, (double)k / (Steps - 1));

    /// <summary>Epochs of <paramref name="batchSize"/> over <paramref name="samples"/> that hold all <see cref="Steps"/>.</summary>
    public int EpochsFor(int samples, int batchSize)
    {
        int perEpoch = (int)Math.Ceiling((double)samples / Math.Min(batchSize, samples));
        return (Steps + perEpoch - 1) / perEpoch;
    }

    public bool OnStep(TrainingStep<T> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        int k = losses.Count;
        rates.Add(optimizer.LearningRate);
        losses.Add(step.Loss);
        average = Smoothing * average + (1 - Smoothing) * step.Loss;
        smoothed.Add(average / (1 - Math.Pow(Smoothing, k + 1)));
        if (!double.IsFinite(step.Loss) || smoothed[k] > Divergence * smoothed.Min())
        {
            Diverged = true;
            return true;
        }
        if (k + 1 >= Steps)
        {
            return true;
        }
        optimizer.LearningRate = RateAt(k + 1);
        return false;
    }

    private int IndexOfMinimum()
    {
        if (smoothed.Count == 0)
        {
            throw new InvalidOperationException("The test has taken no step yet");
        }
        int best = 0;
        for (int k = 1; k < smoothed.Count; k++)
        {
            if (smoothed[k] < smoothed[best])
            {
                best = k;
            }
        }
        return best;
    }
}

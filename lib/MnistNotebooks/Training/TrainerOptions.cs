using MnistNotebooks.Data;

namespace MnistNotebooks.Training;

/// <summary>How <see cref="Trainer{T}"/> trains. Every random choice (the validation split, the shuffle of each epoch)
/// comes from one numpy-compatible <c>new RandomState(Seed)</c> created by each Fit: the same seed and the same initial
/// weights give bit-identical weights and history, whatever the thread count.</summary>
public sealed record TrainerOptions
{
    /// <summary>Use as <see cref="BatchSize"/> for full-batch gradient descent: one step per epoch over all samples.</summary>
    public const int FullBatch = int.MaxValue;

    /// <summary>Passes over the training set; ≥ 1. For full-batch GD an epoch is one iteration.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Samples per step; ≥ 1. A batch size ≥ the training count means full batch: X itself is used,
    /// unshuffled and uncopied. Otherwise the last batch of an epoch may be smaller (it is not dropped).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Seed of the validation split and the per-epoch shuffle (numpy's <c>RandomState(Seed)</c>).</summary>
    public int Seed { get; init; }

    /// <summary>Shuffle the training order each epoch (ignored for full batch).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>When &gt; 0 and no explicit validation set is given, this fraction of the training set (rounded to the
    /// nearest count) is held out, chosen by the seeded generator. In [0, 1).</summary>
    public double ValidationFraction { get; init; }

    /// <summary>Record a <see cref="StepRecord"/> for every step in <see cref="History.Steps"/>. Preallocated.</summary>
    public bool RecordSteps { get; init; }

    /// <summary>Report progress every this many steps (global step count); 0 reports only at the end of each epoch.</summary>
    public int ProgressEverySteps { get; init; }

    /// <summary>Record per-parameter gradient norms (the mean over the epoch's steps of ‖g‖₂, measured after Backward,
    /// before weight decay and clipping).</summary>
    public bool TrackGradientNorms { get; init; } = true;

    /// <summary>Record per-parameter update-to-weight ratios ‖ΔW‖/‖W‖ of the last step of each epoch.</summary>
    public bool TrackUpdateRatios { get; init; } = true;

    /// <summary>Check every layer's output and gradient, the loss and the updated weights, and stop at the first NaN or
    /// ±Infinity, naming the layer and operation (<see cref="History.NonFinite"/>). Off, non-finite losses are recorded
    /// and training goes on.</summary>
    public bool CheckFinite { get; init; }

    /// <summary>Stop when the validation loss stops improving (needs a validation set); null trains every epoch.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>When set, every epoch trains on a fresh distorted copy of the training set,
    /// <c>Augmentation.Apply(x, Augment, Seed · 7,919 + epoch)</c> (epochs from 1), made at the start of the epoch before
    /// the shuffle; the labels, the validation set and the shuffle order are unchanged. The epoch's training loss and
    /// accuracy are those of the distorted images. Null trains on the images as they are.</summary>
    public AugmentOptions? Augment { get; init; }

    /// <summary>γ, the learning rate's factor per epoch: epoch e (from 1) trains at α₀·γ^(e − 1), α₀ the optimizer's
    /// <see cref="Optimizers.Optimizer{T}.LearningRate"/> when Fit starts, which Fit restores when it ends. In (0, 1];
    /// 1 leaves the rate alone (an observer such as <see cref="LearningRateRangeTest{T}"/> may set it).</summary>
    public double LearningRateDecay { get; init; } = 1;

    /// <summary>Batch size of validation and <see cref="Trainer{T}.Evaluate(Matrix{T}, int[])"/>.</summary>
    public int EvaluationBatchSize { get; init; } = 1000;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(EvaluationBatchSize, 1, nameof(EvaluationBatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(ProgressEverySteps, nameof(ProgressEverySteps));
        ArgumentOutOfRangeException.ThrowIfNegative(Seed, nameof(Seed));
        if (!(LearningRateDecay > 0 && LearningRateDecay <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRateDecay), LearningRateDecay, "Expected a factor in (0, 1]");
        }
        Augment?.Validate();
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "Expected a fraction in [0, 1)");
        }
    }
}

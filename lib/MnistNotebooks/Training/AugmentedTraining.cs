using System.Diagnostics;
using System.Numerics;
using MnistNotebooks.Data;

namespace MnistNotebooks.Training;

/// <summary>Training on a fresh distortion of the images every epoch: epoch e = 1, 2, … fits one epoch on
/// <c>Augmentation.Apply(x, augment, seed: Seed + e)</c> with a <see cref="Trainer{T}"/> of <c>Seed = Seed + e</c> (its own
/// shuffle too: every Fit restarts its generator from the seed), the same model, loss, optimizer and observers throughout,
/// so the optimizer's state (momentum, Adam's moments and step count) carries over from epoch to epoch.</summary>
public static class AugmentedTraining
{
    /// <summary>Trains <c>trainer.Options.Epochs</c> epochs on <paramref name="x"/> (n, 784) distorted afresh each epoch,
    /// validating on <paramref name="validationX"/> when given; returns one record per epoch, numbered 1, 2, …, and reports
    /// each epoch's end to <paramref name="progress"/>.</summary>
    /// <remarks><paramref name="trainer"/> gives the model, loss, optimizer, observers and options (Epochs, Seed, batch
    /// size, …); early stopping and a ValidationFraction are not supported (pass an explicit validation set).</remarks>
    public static IReadOnlyList<EpochRecord> Fit<T>(
        Trainer<T> trainer,
        Matrix<T> x,
        int[] labels,
        AugmentOptions augment,
        Matrix<T>? validationX = null,
        int[]? validationLabels = null,
        IProgress<TrainingProgress>? progress = null
    )
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(augment);
        TrainerOptions options = trainer.Options;
        if (options.EarlyStopping is not null || options.ValidationFraction > 0)
        {
            throw new NotSupportedException("Expected no EarlyStopping and ValidationFraction 0 (each epoch is a separate one-epoch Fit)");
        }
        if ((validationX is null) != (validationLabels is null))
        {
            throw new ArgumentException("Expected both validationX and validationLabels, or neither", nameof(validationLabels));
        }
        var records = new List<EpochRecord>(options.Epochs);
        long start = Stopwatch.GetTimestamp(),
            steps = 0;
        for (int e = 1; e <= options.Epochs; e++)
        {
            int seed = checked(options.Seed + e);
            var epochTrainer = new Trainer<T>(trainer.Model, trainer.Loss, trainer.Optimizer, options with { Epochs = 1, Seed = seed });
            foreach (ITrainingObserver<T> observer in trainer.Observers)
            {
                epochTrainer.Observers.Add(observer);
            }
            Matrix<T> distorted = Augmentation.Apply(x, augment, seed);
            History history = validationX is null
                ? epochTrainer.Fit(distorted, labels)
                : epochTrainer.Fit(distorted, labels, validationX, validationLabels!);
            EpochRecord record = history.Epochs[0] with { Epoch = e };
            records.Add(record);
            steps += record.Steps;
            progress?.Report(
                new TrainingProgress(
                    e,
                    options.Epochs,
                    record.Steps,
                    history.StepsPerEpoch,
                    steps,
                    record.TrainLoss,
                    Stopwatch.GetElapsedTime(start),
                    true,
                    record.ValidationLoss,
                    record.ValidationAccuracy
                )
            );
        }
        return records;
    }
}

using System.Numerics;

namespace MnistNotebooks.Training;

/// <summary>Watches a <see cref="Trainer{T}"/> without changing it: after every step and every epoch, with the option to
/// stop. <see cref="OnStep"/> runs every step: keep it allocation-free.</summary>
public interface ITrainingObserver<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>After the optimizer step; <paramref name="step"/> is reused from step to step. Return true to stop.</summary>
    bool OnStep(TrainingStep<T> step) => false;

    /// <summary>After each epoch's record is added to the history. Return true to stop.</summary>
    bool OnEpoch(EpochRecord epoch) => false;
}

using MnistNotebooks.Layers;

namespace MnistNotebooks.Training;

/// <summary>Hooks into <see cref="Trainer"/>; every method has an empty default, so implement only what you need.
/// Call <see cref="TrainingState.RequestStop"/> to stop. OnStepEnd runs every step: keep it allocation-free.</summary>
public interface ITrainingCallback
{
    /// <summary>Before the first step; may set <see cref="TrainingState.CheckFinite"/>.</summary>
    void OnTrainBegin(TrainingState state) { }

    /// <summary>After each optimizer step (<see cref="TrainingState.StepLoss"/> is the step's loss).</summary>
    void OnStepEnd(TrainingState state) { }

    /// <summary>After each epoch's record is added to the history.</summary>
    void OnEpochEnd(TrainingState state, EpochRecord epoch) { }

    /// <summary>When a NaN or ±Infinity was caught (only with <see cref="TrainingState.CheckFinite"/>); training then stops.</summary>
    void OnNonFinite(TrainingState state, NonFiniteException exception) { }

    /// <summary>After the last epoch or the stop.</summary>
    void OnTrainEnd(TrainingState state) { }
}

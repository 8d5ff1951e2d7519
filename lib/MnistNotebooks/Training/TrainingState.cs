using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Optimizers;

namespace MnistNotebooks.Training;

/// <summary>The trainer's live state, handed to callbacks: where training is, the last step's loss, and
/// <see cref="RequestStop"/>. One instance per Fit, updated in place (no allocation per step).</summary>
public sealed class TrainingState
{
    internal TrainingState(ILayer model, ILoss loss, Optimizer optimizer, TrainerOptions options, History history, bool hasValidation)
    {
        Model = model;
        Loss = loss;
        Optimizer = optimizer;
        Options = options;
        History = history;
        HasValidation = hasValidation;
    }

    public ILayer Model { get; }
    public ILoss Loss { get; }
    public Optimizer Optimizer { get; }
    public TrainerOptions Options { get; }
    public History History { get; }

    /// <summary>Whether a validation set (explicit or split) is evaluated after each epoch.</summary>
    public bool HasValidation { get; }

    /// <summary>The current epoch, 1-based.</summary>
    public int Epoch { get; internal set; }

    /// <summary>The current step within the epoch, 1-based.</summary>
    public int Step { get; internal set; }

    /// <summary>Optimizer steps taken so far in this Fit, 1-based.</summary>
    public long GlobalStep { get; internal set; }

    /// <summary>The mean loss of the last step's batch.</summary>
    public float StepLoss { get; internal set; }

    /// <summary>Rows in the last step's batch.</summary>
    public int BatchRows { get; internal set; }

    /// <summary>When set (by <see cref="StopOnNonFinite"/> in OnTrainBegin), the trainer checks the model (via
    /// <see cref="Sequential.CheckFinite"/>, or the model's output for other layers), the loss value, the loss gradient
    /// and the updated parameters, and stops at the first NaN or ±Infinity.</summary>
    public bool CheckFinite { get; set; }

    public bool StopRequested { get; private set; }

    /// <summary>Asks the trainer to stop after the current step (from OnStepEnd) or epoch (from OnEpochEnd).
    /// The first request wins; its reason and message go into the <see cref="History"/>.</summary>
    public void RequestStop(string message, StopReason reason = StopReason.Callback)
    {
        if (StopRequested)
        {
            return;
        }
        StopRequested = true;
        History.StopReason = reason;
        History.StopMessage = message;
        History.StoppedEpoch = Epoch;
        History.StoppedStep = Step;
    }
}

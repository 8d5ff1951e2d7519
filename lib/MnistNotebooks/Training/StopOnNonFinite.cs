using MnistNotebooks.Layers;

namespace MnistNotebooks.Training;

/// <summary>Stops training at the first NaN or ±Infinity and remembers where it appeared: it turns on
/// <see cref="TrainingState.CheckFinite"/>, so the trainer checks every layer's forward output and backward gradient
/// (via <see cref="Sequential.CheckFinite"/>), the loss value (operation <c>loss</c>), the loss gradient
/// (<c>backward</c> of the loss) and the updated parameters (<c>update</c>). <see cref="History.StopMessage"/> says
/// e.g. <c>NaN appeared in forward of layer 'dense2' (element 3) at epoch 1, step 17</c>.
/// Without this callback, non-finite losses are simply recorded and training goes on.</summary>
public sealed class StopOnNonFinite : ITrainingCallback
{
    /// <summary>The first non-finite value caught in the last Fit, or null.</summary>
    public NonFiniteException? First { get; private set; }

    /// <summary>The layer (or loss type, or parameter name for <c>update</c>) where it appeared.</summary>
    public string? Layer => First?.Layer;

    /// <summary><c>forward</c>, <c>backward</c>, <c>backward (gradient of …)</c>, <c>loss</c> or <c>update</c>.</summary>
    public string? Operation => First?.Operation;

    /// <summary>The epoch and step (1-based) in which it appeared.</summary>
    public int Epoch { get; private set; }

    public int Step { get; private set; }

    public long GlobalStep { get; private set; }

    void ITrainingCallback.OnTrainBegin(TrainingState state)
    {
        First = null;
        Epoch = Step = 0;
        GlobalStep = 0;
        state.CheckFinite = true;
    }

    void ITrainingCallback.OnNonFinite(TrainingState state, NonFiniteException exception)
    {
        if (First is null)
        {
            First = exception;
            Epoch = state.Epoch;
            Step = state.Step;
            GlobalStep = state.GlobalStep;
        }
    }
}

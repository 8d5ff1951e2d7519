using System.Globalization;
using MnistNotebooks.Layers;

namespace MnistNotebooks.Training;

/// <summary>Stops when the validation loss has not improved by more than <see cref="MinDelta"/> for
/// <see cref="Patience"/> epochs in a row: an epoch improves when its loss &lt; best − MinDelta (NaN never improves).
/// With best at epoch b and no improvement after it, training stops at the end of epoch b + Patience.</summary>
public sealed class EarlyStopping : ITrainingCallback
{
    private float[][]? best;
    private int wait;

    /// <param name="patience">Epochs without improvement to tolerate; ≥ 0.</param>
    /// <param name="minDelta">The smallest decrease that counts as an improvement; ≥ 0.</param>
    /// <param name="restoreBestWeights">On stopping, copy back the parameters of the best epoch.</param>
    public EarlyStopping(int patience, double minDelta = 0, bool restoreBestWeights = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        if (!(minDelta >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "Expected a finite minDelta ≥ 0");
        }
        Patience = patience;
        MinDelta = minDelta;
        RestoreBestWeights = restoreBestWeights;
    }

    public int Patience { get; }
    public double MinDelta { get; }
    public bool RestoreBestWeights { get; }

    /// <summary>The lowest validation loss seen so far.</summary>
    public double BestLoss { get; private set; } = double.PositiveInfinity;

    /// <summary>The epoch of <see cref="BestLoss"/> (0 before any improvement).</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The epoch at which this callback stopped training (0 if it did not).</summary>
    public int StoppedEpoch { get; private set; }

    void ITrainingCallback.OnTrainBegin(TrainingState state)
    {
        if (!state.HasValidation)
        {
            throw new InvalidOperationException(
                "EarlyStopping monitors the validation loss: pass a validation set or set ValidationFraction > 0"
            );
        }
        BestLoss = double.PositiveInfinity;
        BestEpoch = 0;
        StoppedEpoch = 0;
        wait = 0;
    }

    void ITrainingCallback.OnEpochEnd(TrainingState state, EpochRecord epoch)
    {
        if (epoch.ValidationLoss < BestLoss - MinDelta)
        {
            BestLoss = epoch.ValidationLoss;
            BestEpoch = epoch.Epoch;
            wait = 0;
            if (RestoreBestWeights)
            {
                Snapshot(state.Model.Parameters);
            }
            return;
        }
        if (++wait < Patience)
        {
            return;
        }
        StoppedEpoch = epoch.Epoch;
        if (RestoreBestWeights && best is not null)
        {
            for (int i = 0; i < best.Length; i++)
            {
                best[i].AsSpan().CopyTo(state.Model.Parameters[i].Value.Data);
            }
        }
        state.RequestStop(
            string.Create(
                CultureInfo.InvariantCulture,
                $"validation loss did not improve by more than {MinDelta} for {Patience} epochs; best {BestLoss:0.0000} at epoch {BestEpoch}{(RestoreBestWeights && best is not null ? " (weights restored)" : "")}"
            ),
            StopReason.EarlyStopping
        );
    }

    private void Snapshot(IReadOnlyList<Parameter> parameters)
    {
        best ??= parameters.Select(p => new float[p.Value.Length]).ToArray();
        for (int i = 0; i < best.Length; i++)
        {
            parameters[i].Value.Data.AsSpan().CopyTo(best[i]);
        }
    }
}

namespace MnistNotebooks.Training;

/// <summary>Stop when the validation loss has not improved by more than <see cref="MinDelta"/> for <see cref="Patience"/>
/// epochs in a row: an epoch improves when its loss &lt; best − MinDelta (NaN never improves). With the best at epoch b
/// and no improvement after it, training stops at the end of epoch b + Patience.</summary>
/// <param name="Patience">Epochs without improvement to tolerate; ≥ 1.</param>
/// <param name="MinDelta">The smallest decrease that counts as an improvement; ≥ 0.</param>
/// <param name="RestoreBestWeights">On stopping, copy back the parameters of the best epoch.</param>
public sealed record EarlyStopping(int Patience, double MinDelta = 0, bool RestoreBestWeights = false)
{
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Patience, 1, nameof(Patience));
        if (!(MinDelta >= 0 && double.IsFinite(MinDelta)))
        {
            throw new ArgumentOutOfRangeException(nameof(MinDelta), MinDelta, "Expected a finite MinDelta ≥ 0");
        }
    }
}

using System.Globalization;

namespace MnistNotebooks.Training;

/// <summary>One optimizer step: its epoch (1-based), step within the epoch (1-based), global step (1-based count of
/// updates so far), the batch's mean loss and the batch's accuracy before the update.</summary>
public readonly record struct StepRecord(int Epoch, int Step, long GlobalStep, double Loss, double Accuracy)
{
    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {Epoch} step {Step} (#{GlobalStep}) | loss {Loss:0.0000} | batch accuracy {Accuracy:0.00%}"
        );
}

using System.Globalization;
using System.Text;

namespace MnistNotebooks.Training;

/// <summary>One epoch of training (a partial epoch when training stopped inside it: <see cref="Steps"/> is smaller).</summary>
/// <param name="Epoch">1-based.</param>
/// <param name="Steps">Optimizer steps taken in this epoch.</param>
/// <param name="TrainLoss">Mean of the batch losses over the epoch, weighted by batch size (the weights change during the
/// epoch: this is the running loss, not a re-evaluation).</param>
/// <param name="TrainAccuracy">Fraction of training samples whose argmax matched the label when their batch was forwarded.</param>
/// <param name="ValidationLoss">Loss on the validation set after the epoch; NaN without a validation set or after a mid-epoch stop.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation set after the epoch; NaN likewise.</param>
/// <param name="GradientNorms">Per parameter name: the mean over the epoch's steps of ‖g‖₂ (empty when not tracked).</param>
/// <param name="UpdateRatios">Per parameter name: ‖ΔW‖/‖W‖ of the epoch's last step (empty when not tracked or stopped mid-epoch).</param>
/// <param name="WallTime">Time spent in the epoch, validation included.</param>
public sealed record EpochRecord(
    int Epoch,
    int Steps,
    double TrainLoss,
    double TrainAccuracy,
    double ValidationLoss,
    double ValidationAccuracy,
    IReadOnlyDictionary<string, double> GradientNorms,
    IReadOnlyDictionary<string, double> UpdateRatios,
    TimeSpan WallTime
)
{
    public bool HasValidation => !double.IsNaN(ValidationLoss);

    /// <summary>e.g. <c>epoch 3 | loss 0.2871 acc 91.84% | val loss 0.2765 acc 92.10% | 1.24 s</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"epoch {Epoch} | loss {TrainLoss:0.0000} acc {TrainAccuracy:0.00%}");
        if (HasValidation)
        {
            sb.Append(CultureInfo.InvariantCulture, $" | val loss {ValidationLoss:0.0000} acc {ValidationAccuracy:0.00%}");
        }
        sb.Append(CultureInfo.InvariantCulture, $" | {WallTime.TotalSeconds:0.00} s");
        return sb.ToString();
    }
}

using System.Globalization;

namespace MnistNotebooks.Training;

/// <summary>A progress report: after step <see cref="Step"/> of epoch <see cref="Epoch"/> (both 1-based), or at the end of
/// an epoch (<see cref="IsEpochEnd"/>, when <see cref="Loss"/> is the epoch's mean training loss).</summary>
public readonly record struct TrainingProgress(
    int Epoch,
    int Epochs,
    int Step,
    int StepsPerEpoch,
    long GlobalStep,
    double Loss,
    TimeSpan Elapsed,
    bool IsEpochEnd,
    double ValidationLoss = double.NaN,
    double ValidationAccuracy = double.NaN
)
{
    /// <summary>Fraction of all planned steps done, in [0, 1].</summary>
    public double Fraction => (double)GlobalStep / ((long)Epochs * StepsPerEpoch);

    /// <summary>e.g. <c>epoch 2/10 step 120/469 | loss 0.3124 | 3.2 s</c>.</summary>
    public override string ToString()
    {
        string validation = double.IsNaN(ValidationLoss)
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $" | val loss {ValidationLoss:0.0000} acc {ValidationAccuracy:0.00%}");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {Epoch}/{Epochs} step {Step}/{StepsPerEpoch} | {(IsEpochEnd ? "epoch loss" : "loss")} {Loss:0.0000}{validation} | {Elapsed.TotalSeconds:0.0} s"
        );
    }
}

using System.Globalization;
using System.Numerics;

namespace MnistNotebooks.Training;

/// <summary>A model evaluated without training: mean loss (NaN when no loss was given), accuracy, the predicted class of
/// every sample (argmax, ties → lowest index, NaN first) and the raw model outputs (n, classes).</summary>
public sealed record EvaluationResult<T>(double Loss, double Accuracy, int Correct, int Count, int[] Predictions, Matrix<T> Outputs)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"loss {Loss:0.0000} | accuracy {Accuracy:0.00%} ({Correct}/{Count})");
}

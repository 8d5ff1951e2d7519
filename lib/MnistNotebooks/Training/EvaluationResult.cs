using System.Globalization;

namespace MnistNotebooks.Training;

/// <summary>A model evaluated without training: mean loss (NaN when no loss was given), accuracy, the predicted class
/// of every sample (argmax, ties → lowest index) and the raw model outputs (n, classes), e.g. for
/// <see cref="Metrics.Mistakes.MostConfident"/>.</summary>
public sealed record EvaluationResult(double Loss, double Accuracy, int Correct, int Count, int[] Predictions, Matrix Outputs)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"loss {Loss:0.0000} | accuracy {Accuracy:0.00%} ({Correct}/{Count})");
}

using MnistNotebooks.Metrics;

namespace MnistNotebooks.Tests.Metrics;

public sealed class MetricsTests
{
    [Fact]
    public void ArgmaxTiesGoToTheLowestIndexAndTheFirstNaNWinsAsInNumpy()
    {
        Assert.Equal(1, Predictions.Argmax([1f, 3f, 3f]));
        Assert.Equal(0, Predictions.Argmax([-2f, -5f]));
        // np.argmax([nan, 2, 1]) == 0, np.argmax([1, 2, nan, nan]) == 2, torch.argmax agrees.
        Assert.Equal(0, Predictions.Argmax([float.NaN, 2f, 1f]));
        Assert.Equal(2, Predictions.Argmax([1f, 2f, float.NaN, float.NaN]));
        Assert.Equal(0, Predictions.Argmax([float.NaN, float.NaN]));
        Assert.Equal(1, Predictions.Argmax([float.NegativeInfinity, float.PositiveInfinity, 3f]));
        var outputs = Matrix<float>.FromArray(
            new float[,]
            {
                { 0, 1, 0 },
                { 5, 5, 5 },
                { -1, -3, -0.5f },
            }
        );
        Assert.Equal([1, 0, 2], Predictions.Argmax(outputs));
    }

    [Fact]
    public void AccuracyByHand()
    {
        Assert.Equal(0.6, Accuracy.Of([1, 2, 3, 4, 5], [1, 2, 3, 0, 0]));
        var outputs = Matrix<float>.FromArray(
            new float[,]
            {
                { 0, 1 },
                { 1, 0 },
                { 2, 3 },
                { 9, 8 },
            }
        );
        Assert.Equal(0.75, Accuracy.Of(outputs, [1, 0, 0, 0]));
        Assert.Equal(3, Predictions.CountCorrect(outputs, [1, 0, 0, 0]));
        Assert.True(double.IsNaN(Accuracy.Of([], [])));
        Assert.Throws<ArgumentException>(() => Accuracy.Of([1], [1, 2]));
    }

    [Fact]
    public void ConfusionMatrixRowsAreTrueColumnsArePredicted()
    {
        int[] actual = [0, 0, 1, 1, 2, 2, 2];
        int[] predicted = [0, 1, 1, 1, 2, 0, 2];

        ConfusionMatrix m = ConfusionMatrix.From(predicted, actual, classes: 3);

        Assert.Equal(
            new int[,]
            {
                { 1, 1, 0 },
                { 0, 2, 0 },
                { 1, 0, 2 },
            },
            m.ToArray()
        );
        Assert.Equal(1, m[2, 0]);
        Assert.Equal((5, 7), (m.Correct, m.Total));
        Assert.Equal(5.0 / 7, m.Accuracy);
        Assert.Equal([0.5, 1.0, 2.0 / 3], m.PerClassAccuracy());
        Assert.Equal([0.5, 1.0, 2.0 / 3], Accuracy.PerClass(predicted, actual, classes: 3));
        Assert.Equal([2, 2, 3], m.ActualCounts());
        Assert.Equal([2, 3, 2], m.PredictedCounts());
        Assert.Equal([0, 1, 2], m.Rows().Select(r => r.Actual));
        Assert.EndsWith("accuracy 5/7 = 0.7143", m.ToString());
    }

    [Fact]
    public void ConfusionMatrixFromOutputsAndEmptyClasses()
    {
        var outputs = Matrix<float>.FromArray(
            new float[,]
            {
                { 3, 1, 0 },
                { 0, 2, 1 },
                { 0, 5, 1 },
            }
        );
        ConfusionMatrix m = ConfusionMatrix.From(outputs, [0, 1, 0]);
        Assert.Equal(
            new int[,]
            {
                { 1, 1, 0 },
                { 0, 1, 0 },
                { 0, 0, 0 },
            },
            m.ToArray()
        );
        Assert.True(double.IsNaN(m.PerClassAccuracy()[2]));
        Assert.Equal(10, new ConfusionMatrix().Classes);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(3).Add(3, 0));
    }

    [Fact]
    public void MostConfidentMistakesAreSortedByConfidence()
    {
        // p(wrong) = sigmoid(logit gap): sample 0 → σ(2) = 0.8808, sample 2 → σ(3) = 0.9526, sample 3 → σ(1) = 0.7311; sample 1 is right.
        var logits = Matrix<float>.FromArray(
            new float[,]
            {
                { 0, 2 },
                { 0, 5 },
                { 3, 0 },
                { 0, 1 },
            }
        );
        int[] labels = [0, 1, 1, 0];

        IReadOnlyList<Mistake> all = Mistakes.MostConfident(logits, labels);

        Assert.Equal([2, 0, 3], all.Select(m => m.Index));
        Assert.Equal((1, 0), (all[0].Actual, all[0].Predicted));
        Assert.Equal(0.952574, all[0].Confidence, 1e-5);
        Assert.Equal(1 - 0.952574, all[0].ActualProbability, 1e-5);
        Assert.Equal(0.880797, all[1].Confidence, 1e-5);
        Assert.Equal("#2: true 1, predicted 0 with p = 0.9526 (p(true) = 0.0474)", all[0].ToString());
        Assert.Equal([2, 0], Mistakes.MostConfident(logits, labels, count: 2).Select(m => m.Index));
    }

    [Fact]
    public void MostConfidentMistakesBreakTiesByIndexAndAcceptProbabilities()
    {
        var p = Matrix<float>.FromArray(
            new float[,]
            {
                { 0.3f, 0.7f },
                { 0.3f, 0.7f },
                { 0.9f, 0.1f },
            }
        );
        IReadOnlyList<Mistake> all = Mistakes.MostConfident(p, [0, 0, 1], outputsAreProbabilities: true);
        Assert.Equal([2, 0, 1], all.Select(m => m.Index));
        Assert.Equal(0.9f, all[0].Confidence);
    }
}

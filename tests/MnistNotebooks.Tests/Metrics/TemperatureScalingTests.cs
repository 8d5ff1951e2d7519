using MnistNotebooks.Metrics;

namespace MnistNotebooks.Tests.Metrics;

public sealed class TemperatureScalingTests
{
    [Fact]
    public void NegativeLogLikelihoodByHand()
    {
        var z = Matrix<float>.FromArray(
            new float[,]
            {
                { 1, 2, 0 },
                { 0, 0, 4 },
            }
        );

        // T = 2: row 0, label 1: log(e^0.5 + e^1 + e^0) − 1; row 1, label 0: log(1 + 1 + e^2) − 0.
        double expected = (Math.Log(Math.Exp(0.5) + Math.E + 1) - 1 + Math.Log(2 + Math.Exp(2))) / 2;
        Assert.Equal(expected, TemperatureScaling.NegativeLogLikelihood(z, [1, 0], 2), 12);
        // T = 1 is the plain cross-entropy.
        double plain = (Math.Log(Math.E + Math.Exp(2) + 1) - 2 + Math.Log(2 + Math.Exp(4))) / 2;
        Assert.Equal(plain, TemperatureScaling.NegativeLogLikelihood(z, [1, 0], 1), 12);
    }

    [Fact]
    public void FitFindsTheTemperatureThatMatchesTheFrequency()
    {
        // Every sample has logits (2, 0); 3 of 4 are class 0. The NLL is least where σ(2/T) = 3/4: T = 2/ln 3 = 1.820478.
        var z = Matrix<double>.FromArray(
            new double[,]
            {
                { 2, 0 },
                { 2, 0 },
                { 2, 0 },
                { 2, 0 },
            }
        );
        int[] labels = [0, 0, 0, 1];

        double t = TemperatureScaling.Fit(z, labels);

        Assert.Equal(2 / Math.Log(3), t, 5);
        double at = TemperatureScaling.NegativeLogLikelihood(z, labels, t);
        Assert.True(at < TemperatureScaling.NegativeLogLikelihood(z, labels, t * 1.01));
        Assert.True(at < TemperatureScaling.NegativeLogLikelihood(z, labels, t / 1.01));
        // Over-confident (σ(2) = 0.88 > 0.75): T > 1 softens. Under-confident logits (0.5, 0): T < 1 sharpens.
        var soft = Matrix<double>.FromArray(
            new double[,]
            {
                { 0.5, 0 },
                { 0.5, 0 },
                { 0.5, 0 },
                { 0.5, 0 },
            }
        );
        Assert.Equal(0.5 / Math.Log(3), TemperatureScaling.Fit(soft, labels), 5);
    }

    [Fact]
    public void AllRightDrivesTheTemperatureToTheLowerBound()
    {
        var z = Matrix<float>.FromArray(
            new float[,]
            {
                { 1, 0 },
                { 0, 1 },
            }
        );

        Assert.Equal(0.1, TemperatureScaling.Fit(z, [0, 1], minTemperature: 0.1, maxTemperature: 10), 5);
    }

    [Fact]
    public void ProbabilitiesAreTheSoftmaxOfTheScaledLogitsAndKeepTheArgmax()
    {
        var z = Matrix<float>.FromArray(
            new float[,]
            {
                { 2, 0, -2 },
            }
        );

        Matrix<float> p = TemperatureScaling.Probabilities(z, 2);

        double s = Math.E + 1 + Math.Exp(-1);
        Assert.Equal(Math.E / s, p[0, 0], 6);
        Assert.Equal(1 / s, p[0, 1], 6);
        Assert.Equal(Math.Exp(-1) / s, p[0, 2], 6);
        Assert.Equal(Predictions.Argmax(z), Predictions.Argmax(TemperatureScaling.Probabilities(z, 100)));
        Assert.Equal(2f, z[0, 0]); // the logits are not scaled in place
    }

    [Fact]
    public void BadArgumentsSayWhatWasExpected()
    {
        var z = Matrix<float>.FromArray(
            new float[,]
            {
                { 1, 0 },
            }
        );
        foreach (double bad in new[] { 0, -1, double.NaN, double.PositiveInfinity })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => TemperatureScaling.Probabilities(z, bad));
            Assert.Equal("temperature", e.ParamName);
            Assert.Contains("Expected a temperature > 0", e.Message);
        }
        var range = Assert.Throws<ArgumentException>(() => TemperatureScaling.Fit(z, [0], 2, 1));
        Assert.Equal("maxTemperature", range.ParamName);
        var label = Assert.Throws<ArgumentOutOfRangeException>(() => TemperatureScaling.NegativeLogLikelihood(z, [2], 1));
        Assert.Equal("labels", label.ParamName);
        Assert.Contains("[0, 2) but got 2 at index 0", label.Message);
        Assert.Throws<ArgumentException>(() => TemperatureScaling.Fit(new Matrix<float>(0, 2), [], 0.5, 2));
        Assert.Throws<ArgumentException>(() => TemperatureScaling.NegativeLogLikelihood(z, [0, 1], 1));
    }
}

using MnistNotebooks.Metrics;

namespace MnistNotebooks.Tests.Metrics;

public sealed class CalibrationTests
{
    // Four bins [0, .25) [.25, .5) [.5, .75) [.75, 1]; 0.5 and 0.75 sit on edges, 1.0 goes to the last bin.
    private static readonly double[] Confidences = [0.3, 0.5, 0.6, 1.0, 0.8, 0.75];
    private static readonly bool[] Correct = [true, false, true, true, false, true];

    [Fact]
    public void BinsEceAndMceByHand()
    {
        Calibration c = Calibration.From(Confidences, Correct, bins: 4);

        Assert.Equal(4, c.Bins.Count);
        Assert.Equal([0, 1, 2, 3], c.Bins.Select(b => b.Count));
        Assert.Equal([0, 0.25, 0.5, 0.75], c.Bins.Select(b => b.Low));
        Assert.Equal([0.25, 0.5, 0.75, 1], c.Bins.Select(b => b.High));
        // bin 1: {0.3 right}; bin 2: {0.5 wrong, 0.6 right}; bin 3: {1.0 right, 0.8 wrong, 0.75 right}.
        Assert.Equal(0.3, c.Bins[1].MeanConfidence, 12);
        Assert.Equal(1, c.Bins[1].Accuracy);
        Assert.Equal(0.55, c.Bins[2].MeanConfidence, 12);
        Assert.Equal(0.5, c.Bins[2].Accuracy);
        Assert.Equal(0.85, c.Bins[3].MeanConfidence, 12);
        Assert.Equal(2.0 / 3, c.Bins[3].Accuracy, 12);
        // ECE = 1/6·0.7 + 2/6·0.05 + 3/6·|2/3 − 0.85| = 0.11667 + 0.01667 + 0.09167 = 0.225; MCE = 0.7.
        Assert.Equal(0.225, c.ExpectedCalibrationError, 12);
        Assert.Equal(0.7, c.MaximumCalibrationError, 12);
        Assert.Equal(6, c.Count);
        Assert.Equal(4.0 / 6, c.Accuracy, 12);
        Assert.Equal(3.95 / 6, c.MeanConfidence, 12);
    }

    [Fact]
    public void EmptyBinsHaveNaNMeansAndAddNothing()
    {
        Calibration c = Calibration.From(Confidences, Correct, bins: 4);

        Assert.True(double.IsNaN(c.Bins[0].MeanConfidence));
        Assert.True(double.IsNaN(c.Bins[0].Accuracy));
        Assert.True(double.IsNaN(c.Bins[0].Gap));
        Assert.False(double.IsNaN(c.ExpectedCalibrationError));
        Assert.False(double.IsNaN(c.MaximumCalibrationError));
    }

    [Fact]
    public void AConfidenceOfOneGoesToTheLastBinAndZeroToTheFirst()
    {
        Calibration c = Calibration.From([1.0, 0.0], [true, false], bins: 10);

        Assert.Equal(1, c.Bins[9].Count);
        Assert.Equal(1, c.Bins[0].Count);
        Assert.Equal(2, c.Bins.Sum(b => b.Count));
        // |1 − 1| and |0 − 0|: perfectly calibrated.
        Assert.Equal(0, c.ExpectedCalibrationError);
    }

    [Fact]
    public void AConfidenceOnABinEdgeGoesToTheBinItOpens()
    {
        // 0.29·100 = 28.999999999999996 and 0.57·100 = 56.99999999999999 in float64: floor alone would put them one bin low.
        Calibration c = Calibration.From([0.29, 0.57, 0.3], [true, true, true], bins: 100);

        Assert.Equal(1, c.Bins[29].Count);
        Assert.Equal(0, c.Bins[28].Count);
        Assert.Equal(1, c.Bins[57].Count);
        Assert.Equal(0, c.Bins[56].Count);
        Assert.Equal(1, c.Bins[30].Count);
        Assert.Equal(0.29, c.Bins[29].Low);
    }

    [Fact]
    public void OneBinIsTheGapBetweenAccuracyAndMeanConfidence()
    {
        Calibration c = Calibration.From([0.9, 0.9, 0.6, 0.6], [true, false, false, false], bins: 1);

        // accuracy 0.25, mean confidence 0.75
        Assert.Equal(0.5, c.ExpectedCalibrationError, 12);
        Assert.Equal(0.5, c.MaximumCalibrationError, 12);
    }

    [Fact]
    public void NoPredictionsGiveNaN()
    {
        Calibration c = Calibration.From([], [], bins: 5);

        Assert.Equal(0, c.Count);
        Assert.True(double.IsNaN(c.ExpectedCalibrationError));
        Assert.True(double.IsNaN(c.MaximumCalibrationError));
        Assert.True(double.IsNaN(c.Accuracy));
        Assert.All(c.Bins, b => Assert.Equal(0, b.Count));
    }

    [Fact]
    public void FromProbabilitiesUsesTheLargestProbabilityAndTheArgmax()
    {
        var p = Matrix<float>.FromArray(
            new float[,]
            {
                { 0.7f, 0.2f, 0.1f }, // predicts 0, label 0: right, 0.7
                { 0.1f, 0.3f, 0.6f }, // predicts 2, label 1: wrong, 0.6
                { 0.05f, 0.9f, 0.05f }, // predicts 1, label 1: right, 0.9
            }
        );

        Calibration c = Calibration.FromProbabilities(p, [0, 1, 1], bins: 2);

        Assert.Equal([0, 3], c.Bins.Select(b => b.Count));
        Assert.Equal((0.7 + 0.6 + 0.9) / 3, c.Bins[1].MeanConfidence, 6);
        Assert.Equal(2.0 / 3, c.Bins[1].Accuracy, 12);
        Assert.Equal(Math.Abs(2.0 / 3 - 2.2 / 3), c.ExpectedCalibrationError, 6);
    }

    [Fact]
    public void FromLogitsIsTheSoftmaxOfTheLogitsOverT()
    {
        var z = Matrix<double>.FromArray(
            new double[,]
            {
                { 2, 0 },
                { 0, 1 },
            }
        );
        // softmax([1, 0]) = e/(e + 1) = 0.731059, softmax([0, 0.5]) max = 1/(1 + e^−0.5) = 0.622459
        Calibration c = Calibration.FromLogits(z, [0, 0], bins: 1, temperature: 2);

        Assert.Equal((0.7310585786300049 + 0.6224593312018546) / 2, c.MeanConfidence, 12);
        Assert.Equal(0.5, c.Accuracy);
    }

    [Fact]
    public void BadArgumentsSayWhatWasExpected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Calibration.From([0.5], [true], bins: 0));
        Assert.Equal("bins", e.ParamName);
        Assert.Contains("at least 1 bin", e.Message);
        var m = Assert.Throws<ArgumentException>(() => Calibration.From([0.5, 0.6], [true], bins: 10));
        Assert.Equal("correct", m.ParamName);
        Assert.Contains("(2) but got 1", m.Message);
        foreach (double bad in new[] { 1.0000001, -0.1, double.NaN, double.PositiveInfinity })
        {
            var c = Assert.Throws<ArgumentOutOfRangeException>(() => Calibration.From([0.5, bad], [true, true], bins: 10));
            Assert.Equal("confidences", c.ParamName);
            Assert.Contains("at index 1", c.Message);
        }
        Assert.Throws<ArgumentException>(() => Calibration.FromProbabilities(new Matrix<float>(2, 3), [0], bins: 10));
    }
}

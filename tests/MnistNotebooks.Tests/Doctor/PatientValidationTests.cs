using MnistNotebooks.Doctor;
using static MnistNotebooks.Tests.Doctor.Synthetic;

namespace MnistNotebooks.Tests.Doctor;

/// <summary>A patient wired wrongly gets an error that says what was expected and what was found.</summary>
public sealed class PatientValidationTests
{
    private static readonly (Matrix<double> X, int[] Y) Data = Blobs();

    [Fact]
    public void OneLabelPerInputRow()
    {
        Patient patient = Regression(Data.X, Data.Y[..63]);
        var e = Assert.Throws<ArgumentException>(() => TrainingDoctor.Examine(patient));
        Assert.StartsWith("Expected 64 labels, one per row of Inputs (64, 6), but got 63", e.Message);
    }

    [Fact]
    public void OutputsOneRowPerSample()
    {
        Patient patient = Regression(Data.X, Data.Y) with { Outputs = (p, x) => Logits(p, x).SliceRows(0, 3) };
        var e = Assert.Throws<InvalidOperationException>(() => TrainingDoctor.Examine(patient));
        Assert.Equal("Outputs returned (3, 4) for a batch of 64; expected (64, …), one row per sample", e.Message);
    }

    [Fact]
    public void LabelsWithinTheOutputsWidth()
    {
        int[] y = (int[])Data.Y.Clone();
        y[5] = 7;
        var e = Assert.Throws<InvalidOperationException>(() => TrainingDoctor.Examine(Regression(Data.X, y)));
        Assert.Equal("Label 5 is 7; expected a class in [0, 4), the outputs' width", e.Message);
    }

    [Fact]
    public void StepReturnsEveryParameterInItsShape()
    {
        Patient wrongShape = Regression(Data.X, Data.Y, step: (p, x, y) => new ParameterSet { ["W"] = p["W"].Transpose(), ["b"] = p["b"] });
        var e = Assert.Throws<InvalidOperationException>(() => TrainingDoctor.Examine(wrongShape));
        Assert.Equal("Step returned 'W' of shape (4, 6); expected (6, 4) as given", e.Message);
        Patient missing = Regression(Data.X, Data.Y, step: (p, x, y) => new ParameterSet { ["W"] = p["W"] });
        e = Assert.Throws<InvalidOperationException>(() => TrainingDoctor.Examine(missing));
        Assert.Equal("Step returned no 'b'; expected W (6, 4), b (1, 4) but got W (6, 4)", e.Message);
    }

    [Fact]
    public void GradientsNameTheParameters()
    {
        Patient patient = Regression(Data.X, Data.Y) with { Gradients = (p, x, y) => new ParameterSet { ["w"] = Gradient(p, x, y)["W"] } };
        var e = Assert.Throws<InvalidOperationException>(() => TrainingDoctor.Examine(patient));
        Assert.Equal("Gradients returned 'w', which is not a parameter; the parameters are W (6, 4), b (1, 4)", e.Message);
    }

    [Fact]
    public void AParameterSetNamesWhatItHoldsWhenANameIsMissing()
    {
        ParameterSet p = Weights();
        var e = Assert.Throws<KeyNotFoundException>(() => p["w1"]);
        Assert.Equal("No parameter named 'w1'; the set holds W (6, 4), b (1, 4)", e.Message);
        ParameterSet copy = p.Clone();
        Assert.NotSame(p["W"], copy["W"]);
        Assert.Equal(p["W"].Data, copy["W"].Data);
        Assert.Equal(p.Names, copy.Names);
    }
}

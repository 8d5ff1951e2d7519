using MnistNotebooks.Doctor;
using Xunit.Abstractions;

namespace MnistNotebooks.Tests.Doctor;

/// <summary>Each question's setup, as its chapter reproduces it, gets the finding that names its chapter on top; each
/// chapter's fixed setup gets no warning and no error.</summary>
[Collection("Parallelism")]
public sealed class QuestionSetupTests(ITestOutputHelper output)
{
    [Fact]
    public void RawPixelsGetTheStepTooLargeForTheInputsScale()
    {
        DoctorReport report = Examine(QuestionSetups.RawPixels());
        AssertTop(report, FindingCodes.StepTooLargeForInputs, Chapters.RawPixels);
        Assert.True(report.Has(FindingCodes.InputsNotScaled));
        // α·‖x‖² of sample 0 measured along the update, as the chapter computes it from the pixels: ≈ 59.4.
        Assert.InRange(report.Measurements["step.rho"], 59.0, 59.8);
        Assert.Equal(1e-5, report.Measurements["linear.alpha"], 1e-9);
    }

    [Fact]
    public void RawPixelsFixedIsHealthy() => AssertHealthy(Examine(QuestionSetups.RawPixelsFixed()));

    [Fact]
    public void MissingLearningRateGetsTheUpdateFarTooLarge()
    {
        DoctorReport report = Examine(QuestionSetups.DeadSigmoids());
        AssertTop(report, FindingCodes.UpdateTooLarge, Chapters.DeadSigmoids);
        Assert.True(report.Has(FindingCodes.SaturatedUnits));
        Assert.False(report.Has(FindingCodes.GradientAscent)); // `weights += w` descends: w is −∇
    }

    [Fact]
    public void TheAnswersSignFlipIsGradientAscent()
    {
        DoctorReport report = Examine(QuestionSetups.DeadSigmoidsAnswer());
        AssertTop(report, FindingCodes.GradientAscent, Chapters.DeadSigmoids);
    }

    [Fact]
    public void DeadSigmoidsFixedIsHealthy() => AssertHealthy(Examine(QuestionSetups.DeadSigmoidsFixed()));

    [Fact]
    public void NaiveSoftmaxWithASummedGradientOverflows()
    {
        DoctorReport report = Examine(QuestionSetups.SoftmaxOverflow());
        AssertTop(report, FindingCodes.SoftmaxOverflow, Chapters.SoftmaxOverflow);
    }

    [Fact]
    public void SoftmaxOverflowFixedIsHealthy() => AssertHealthy(Examine(QuestionSetups.SoftmaxOverflowFixed()));

    [Fact]
    public void SoftmaxOverTheSamplesIsTheWrongAxis()
    {
        DoctorReport report = Examine(QuestionSetups.WrongAxis());
        AssertTop(report, FindingCodes.OutputsNotNormalized, Chapters.WrongAxis);
        Assert.True(report.Has(FindingCodes.OutputsDependOnBatch));
    }

    [Fact]
    public void WrongAxisFixedIsHealthy() => AssertHealthy(Examine(QuestionSetups.WrongAxisFixed()));

    [Fact]
    public void TheHandWrittenBackpropFailsTheGradientCheck()
    {
        DoctorReport report = Examine(QuestionSetups.WrongGradient());
        AssertTop(report, FindingCodes.GradientCheckFailed, Chapters.WrongGradient);
        Assert.Contains("l1.W", report.Top!.Title);
        Assert.Contains("l1.b", report.Top.Title);
        Assert.Contains("l2.b", report.Top.Title);
    }

    [Fact]
    public void WrongGradientFixedIsHealthy() => AssertHealthy(Examine(QuestionSetups.WrongGradientFixed()));

    [Fact]
    public void ASoftmaxLayerBeforeSoftmaxCrossEntropyIsFoundOnMnist()
    {
        DoctorReport report = Examine(QuestionSetups.SoftmaxTwice());
        AssertTop(report, FindingCodes.SoftmaxTwice, Chapters.SoftmaxOverflow);
    }

    private DoctorReport Examine(Patient patient)
    {
        DoctorReport report = TrainingDoctor.Examine(patient);
        output.WriteLine(report.ToString());
        output.WriteLine(string.Join(", ", report.Measurements.Select(kv => $"{kv.Key}={kv.Value:G4}")));
        return report;
    }

    private static void AssertTop(DoctorReport report, string code, Chapter chapter)
    {
        Assert.NotNull(report.Top);
        Assert.Equal(code, report.Top.Code);
        Assert.Equal(chapter, report.Top.Chapter);
    }

    private static void AssertHealthy(DoctorReport report) =>
        Assert.True(report.Healthy, $"expected no warning or error but got {report.Codes}");
}

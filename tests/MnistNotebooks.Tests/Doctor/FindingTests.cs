using MnistNotebooks.Diagnostics;
using MnistNotebooks.Doctor;
using MnistNotebooks.Randomness;
using static MnistNotebooks.Tests.Doctor.Synthetic;

namespace MnistNotebooks.Tests.Doctor;

/// <summary>Each finding on small synthetic cases, on both sides of its threshold.</summary>
public sealed class FindingTests
{
    // ------------------------------------------------------------------ MN001 inputs not scaled

    [Theory]
    [InlineData(10.5, true)]
    [InlineData(9.5, false)]
    [InlineData(0.011, false)]
    [InlineData(0.009, true)]
    public void InputsNotScaledAboveAnRmsOf10OrBelow001(double value, bool fires)
    {
        // Every input feature equals value, so the RMS is value.
        var x = Matrix<double>.Full(32, 6, value);
        Patient patient = Regression(x, Labels(32), withStep: false);
        DoctorReport report = TrainingDoctor.Examine(patient);
        Assert.Equal(value, report.Measurements["inputs.rms"], 1e-12);
        Assert.Equal(fires, report.Has(FindingCodes.InputsNotScaled));
    }

    // ------------------------------------------------------------------ MN002 / MN010 a step too large for the inputs' scale

    /// <summary>A linear model with squared error, one sample per update: every row has the same ‖x‖², so
    /// ρ = α·‖x‖² is the same for every sample and the doctor's ρ must equal it.</summary>
    private static Patient PerSampleLinear(double inputScale, double alphaTimesNorm)
    {
        var rng = new RandomState(3);
        Matrix<double> x = rng.Randn(40, 8);
        for (int r = 0; r < x.Rows; r++)
        {
            double norm = Math.Sqrt(x.Row(r).ToArray().Sum(v => v * v));
            for (int c = 0; c < x.Cols; c++)
            {
                x[r, c] *= inputScale / norm; // ‖x‖ = inputScale for every row
            }
        }
        double alpha = alphaTimesNorm / (inputScale * inputScale);
        return new Patient
        {
            Inputs = x,
            Labels = Labels(40),
            Parameters = new ParameterSet { ["W"] = rng.Randn(8, Classes) * 0.01 },
            Outputs = (p, xb) => xb.Dot(p["W"]),
            OutputKind = OutputKind.Scores,
            Cost = (p, xb, yb) => (xb.Dot(p["W"]) - Numpy.OneHot(yb, Classes)).Map(d => d * d).Sum() / xb.Rows,
            Step = (p, xb, yb) =>
            {
                Matrix<double> delta = xb.Dot(p["W"]) - Numpy.OneHot(yb, Classes);
                return new ParameterSet { ["W"] = p["W"] - alpha * Matrix<double>.Outer(xb.Row(0), delta.Row(0)) };
            },
            BatchSize = 1,
        };
    }

    [Theory]
    [InlineData(2.1, true)]
    [InlineData(1.9, false)]
    public void StepTooLargeForUnscaledInputsWhenAlphaTimesNormSquaredReaches2(double alphaTimesNorm, bool fires)
    {
        // ‖x‖ = 100 over 8 features: RMS 35, unscaled.
        DoctorReport report = TrainingDoctor.Examine(PerSampleLinear(100, alphaTimesNorm));
        Assert.True(report.Has(FindingCodes.InputsNotScaled));
        Assert.Equal(alphaTimesNorm, report.Measurements["step.rho"], 1e-6);
        Assert.Equal(fires, report.Has(FindingCodes.StepTooLargeForInputs));
        Assert.False(report.Has(FindingCodes.StepIncreasesLoss));
        if (fires)
        {
            Assert.Equal(FindingCodes.StepTooLargeForInputs, report.Top!.Code);
            Assert.Equal(alphaTimesNorm / 1e4, report.Measurements["linear.alpha"], 1e-9);
        }
    }

    [Theory]
    [InlineData(1.9, null)]
    [InlineData(2.1, Severity.Warning)]
    [InlineData(4.5, Severity.Error)] // the cost grows by (1 − 4.5)² = 12 > 10: an error
    public void StepIncreasesLossOnScaledInputsWhenRhoReaches2(double rho, Severity? severity)
    {
        // ‖x‖ = 3 over 8 features: RMS 1.06, scaled.
        DoctorReport report = TrainingDoctor.Examine(PerSampleLinear(3, rho));
        Assert.False(report.Has(FindingCodes.InputsNotScaled));
        Assert.Equal(rho, report.Measurements["step.rho"], 1e-6);
        Assert.Equal(severity, report[FindingCodes.StepIncreasesLoss]?.Severity);
        Assert.False(report.Has(FindingCodes.StepTooLargeForInputs));
    }

    // ------------------------------------------------------------------ MN003 rows that do not sum to 1

    [Theory]
    [InlineData(2e-6, true)]
    [InlineData(5e-7, false)]
    public void ProbabilitiesMustSumTo1OverTheClasses(double excess, bool fires)
    {
        (Matrix<double> x, int[] y) = Blobs();
        Matrix<double> p = Softmax(x.Dot(new RandomState(2).Randn(6, Classes))) * (1 + excess);
        DoctorReport report = TrainingDoctor.Examine(Fixed(p, y, OutputKind.Probabilities));
        Assert.Equal(fires, report.Has(FindingCodes.OutputsNotNormalized));
    }

    [Fact]
    public void ASoftmaxOverTheSamplesIsNamedTheWrongAxis()
    {
        (Matrix<double> x, int[] y) = Blobs();
        ParameterSet w = Weights(std: 1);
        Patient patient = Regression(x, y, w, withStep: false);
        var overSamples = new Patient
        {
            Inputs = x,
            Labels = y,
            Parameters = w,
            Outputs = (p, xb) => Logits(p, xb).Exp() / Logits(p, xb).Exp().Sum(axis: 0),
            OutputKind = OutputKind.Probabilities,
            Cost = Cost,
        };
        DoctorReport report = TrainingDoctor.Examine(overSamples);
        Assert.Equal(FindingCodes.OutputsNotNormalized, report.Top!.Code);
        Assert.Contains("wrong axis", report.Top.Title);
        Assert.True(report.Has(FindingCodes.OutputsDependOnBatch));
        Assert.False(TrainingDoctor.Examine(patient).Has(FindingCodes.OutputsNotNormalized));
    }

    // ------------------------------------------------------------------ MN004 outputs that depend on the batch

    [Theory]
    [InlineData(1e-6, true)]
    [InlineData(1e-13, false)]
    public void OutputsMustNotDependOnTheOtherSamples(double coupling, bool fires)
    {
        (Matrix<double> x, int[] y) = Blobs();
        var patient = new Patient
        {
            Inputs = x,
            Labels = y,
            Parameters = Weights(std: 1),
            // Each logit moves by coupling × the batch's mean logit of its class.
            Outputs = (p, xb) => Logits(p, xb) + coupling * Logits(p, xb).Mean(axis: 0),
            OutputKind = OutputKind.Logits,
            Cost = Cost,
        };
        DoctorReport report = TrainingDoctor.Examine(patient);
        Assert.Equal(fires, report.Has(FindingCodes.OutputsDependOnBatch));
    }

    // ------------------------------------------------------------------ MN005 logits beyond exp's limit

    /// <summary>Logit c for the true class, 0 for the others: confident and right.</summary>
    private static Matrix<double> TrueClassLogits(int[] y, double c)
    {
        var z = new Matrix<double>(y.Length, Classes);
        for (int r = 0; r < y.Length; r++)
        {
            z[r, y[r]] = c;
        }
        return z;
    }

    [Theory]
    [InlineData(720, NumericPrecision.Float64, true)]
    [InlineData(700, NumericPrecision.Float64, false)]
    [InlineData(89.5, NumericPrecision.Float32, true)]
    [InlineData(88, NumericPrecision.Float32, false)]
    public void LogitsBeyondExpsLimitForThePrecisionAreAWarningWhenTheSoftmaxIsStable(double c, NumericPrecision precision, bool fires)
    {
        int[] y = Labels(32);
        DoctorReport report = TrainingDoctor.Examine(Fixed(TrueClassLogits(y, c), y, OutputKind.Logits, precision: precision));
        Assert.Equal(fires ? Severity.Warning : null, report[FindingCodes.SoftmaxOverflow]?.Severity);
    }

    [Theory]
    [InlineData(720, true)]
    [InlineData(700, false)]
    public void ANaiveSoftmaxThatOverflowsIsAnError(double c, bool fires)
    {
        int[] y = Labels(32);
        Matrix<double> z = TrueClassLogits(y, c);
        Matrix<double> naive = z.Exp() / z.Exp().Sum(axis: 1);
        DoctorReport report = TrainingDoctor.Examine(
            Fixed(naive, y, OutputKind.Probabilities, cost: (p, labels) => Numpy.MeanCrossEntropy(p, labels, p.Rows), logits: z)
        );
        Assert.Equal(fires ? Severity.Error : null, report[FindingCodes.SoftmaxOverflow]?.Severity);
        Assert.Equal(fires, report.Has(FindingCodes.NonFinite));
        if (fires)
        {
            Assert.Equal(FindingCodes.SoftmaxOverflow, report.Top!.Code);
        }
    }

    // ------------------------------------------------------------------ MN006 log(0)

    [Theory]
    [InlineData(0.0, true)]
    [InlineData(1e-300, false)]
    public void AFiniteOutputWithAnInfiniteCostIsLogOfZero(double trueClassProbability, bool fires)
    {
        int[] y = Labels(32);
        var p = Matrix<double>.Full(32, Classes, (1 - trueClassProbability) / (Classes - 1));
        for (int r = 0; r < y.Length; r++)
        {
            p[r, y[r]] = trueClassProbability;
        }
        DoctorReport report = TrainingDoctor.Examine(
            Fixed(p, y, OutputKind.Probabilities, cost: (q, labels) => Numpy.MeanCrossEntropy(q, labels, q.Rows))
        );
        Assert.Equal(fires, report.Has(FindingCodes.LogOfZero));
        Assert.False(report.Has(FindingCodes.SoftmaxOverflow));
    }

    // ------------------------------------------------------------------ MN007 the gradient check

    [Theory]
    [InlineData(1.002, true)] // relative error 0.002 / 1.002 ≈ 2e-3 > 1e-3
    [InlineData(1.0005, false)]
    public void AGradientOffByMoreThanTheToleranceFailsAndIsNamed(double factor, bool fires)
    {
        (Matrix<double> x, int[] y) = Blobs();
        Patient patient = Regression(x, y, Weights(std: 0.5), withStep: false);
        var wrong = new Patient
        {
            Inputs = x,
            Labels = y,
            Parameters = patient.Parameters,
            Outputs = Logits,
            OutputKind = OutputKind.Logits,
            Cost = Cost,
            Gradients = (p, xb, yb) =>
            {
                ParameterSet g = Gradient(p, xb, yb);
                g["b"] = g["b"] * factor;
                return g;
            },
        };
        DoctorReport report = TrainingDoctor.Examine(wrong);
        Assert.Equal(fires, report.Has(FindingCodes.GradientCheckFailed));
        if (fires)
        {
            Finding f = report[FindingCodes.GradientCheckFailed]!;
            Assert.Contains("of b is wrong", f.Title);
            Assert.Contains("W pass", f.Evidence);
        }
    }

    // ------------------------------------------------------------------ MN008 gradient ascent

    [Theory]
    [InlineData(-0.5, true)]
    [InlineData(0.5, false)]
    public void AnUpdateAlongPlusTheGradientIsASignError(double alpha, bool fires)
    {
        (Matrix<double> x, int[] y) = Blobs();
        DoctorReport report = TrainingDoctor.Examine(Regression(x, y, alpha: alpha));
        Assert.Equal(fires, report.Has(FindingCodes.GradientAscent));
        if (fires)
        {
            Assert.Equal(FindingCodes.GradientAscent, report.Top!.Code);
            Assert.Contains("cos(update, gradient) = 1.000", report.Top.Evidence);
        }
    }

    // ------------------------------------------------------------------ MN009, MN014, MN019 the update-to-weight ratio

    /// <summary>An update that moves W by exactly ratio·‖W‖ against its gradient (b untouched).</summary>
    private static Patient MovesWeightsBy(double ratio, int batchSize = 16, double exponent = 0)
    {
        (Matrix<double> x, int[] y) = Blobs();
        return Regression(
            x,
            y,
            Weights(std: 0.5),
            step: (p, xb, yb) =>
            {
                Matrix<double> g = Gradient(p, xb, yb)["W"];
                double scale = ratio * Math.Pow(xb.Rows, exponent) * ParameterMath.Norm(p["W"]) / ParameterMath.Norm(g);
                return new ParameterSet { ["W"] = p["W"] - scale * g, ["b"] = p["b"] };
            },
            batchSize: batchSize
        );
    }

    [Theory]
    [InlineData(1.01, Severity.Error)]
    [InlineData(0.99, Severity.Warning)]
    [InlineData(0.31, Severity.Warning)]
    [InlineData(0.29, null)]
    public void AnUpdateAtLeast03OfTheWeightsIsTooLargeAndAtLeast1AnError(double ratio, Severity? severity)
    {
        DoctorReport report = TrainingDoctor.Examine(MovesWeightsBy(ratio));
        Assert.Equal(ratio, report.Measurements["update.ratio.max"], 1e-9);
        Assert.Equal(severity, report[FindingCodes.UpdateTooLarge]?.Severity);
    }

    [Theory]
    [InlineData(0.9e-6, true)]
    [InlineData(1.1e-6, false)]
    public void AnUpdateBelow1eMinus6OfTheWeightsIsTooSmall(double ratio, bool fires)
    {
        DoctorReport report = TrainingDoctor.Examine(MovesWeightsBy(ratio));
        Assert.Equal(fires, report.Has(FindingCodes.UpdateTooSmall));
        Assert.False(report.Has(FindingCodes.LearningStopped));
    }

    [Theory]
    [InlineData(0.9e-10, true)]
    [InlineData(1.1e-10, false)]
    public void AnUpdateBelow1eMinus10OfTheWeightsMeansLearningStopped(double ratio, bool fires)
    {
        DoctorReport report = TrainingDoctor.Examine(MovesWeightsBy(ratio));
        Assert.Equal(fires, report.Has(FindingCodes.LearningStopped));
        Assert.Equal(!fires, report.Has(FindingCodes.UpdateTooSmall));
    }

    // ------------------------------------------------------------------ MN020 a summed gradient

    [Theory]
    [InlineData(0.3, true)]
    [InlineData(0.2, false)]
    public void AnUpdateGrowingFasterThanBatchToThe025IsASummedGradient(double exponent, bool fires)
    {
        DoctorReport report = TrainingDoctor.Examine(MovesWeightsBy(1e-3, batchSize: 16, exponent: exponent));
        Assert.Equal(exponent, report.Measurements["update.batchExponent"], 1e-9);
        Assert.Equal(fires, report.Has(FindingCodes.SummedGradient));
    }

    [Fact]
    public void ASummedGradientWithoutALearningRateIsTheUpdateFarTooLarge()
    {
        (Matrix<double> x, int[] y) = Blobs(n: 256);
        // Σ over the batch of the per-sample gradient, step 1: the update grows with the batch.
        Patient summed = Regression(x, y, Weights(std: 0.5), step: (p, xb, yb) => Descend(p, Gradient(p, xb, yb), xb.Rows), batchSize: 64);
        DoctorReport report = TrainingDoctor.Examine(summed);
        Finding f = report[FindingCodes.UpdateTooLarge]!;
        Assert.Equal(Severity.Error, f.Severity);
        Assert.Equal(Chapters.DeadSigmoids, f.Chapter);
        Assert.Contains("summed", f.Evidence);
        Assert.InRange(report.Measurements["update.batchExponent"], 0.5, 1.1);
    }

    // ------------------------------------------------------------------ MN011 the initial loss

    /// <summary>Inputs one-hot in the label, logits c on the next class: cross-entropy ln(e^c + K − 1) exactly.</summary>
    private static Patient ConfidentlyWrongBy(double excess)
    {
        int[] y = Labels(40);
        double c = Math.Log(Classes * Math.Exp(excess) - Classes + 1);
        var z = new Matrix<double>(y.Length, Classes);
        for (int r = 0; r < y.Length; r++)
        {
            z[r, (y[r] + 1) % Classes] = c;
        }
        return Fixed(z, y, OutputKind.Logits);
    }

    [Theory]
    [InlineData(0.09, null)]
    [InlineData(0.11, Severity.Info)]
    [InlineData(1.49, Severity.Info)]
    [InlineData(1.51, Severity.Warning)]
    public void ACrossEntropyAboveLnKIsANoteFrom01AndAWarningFrom15(double excess, Severity? severity)
    {
        DoctorReport report = TrainingDoctor.Examine(ConfidentlyWrongBy(excess));
        Assert.Equal(Math.Log(Classes) + excess, report.Measurements["crossEntropy"], 1e-9);
        Assert.Equal(severity, report[FindingCodes.InitialLossHigh]?.Severity);
    }

    // ------------------------------------------------------------------ MN012 saturated units, MN013 dead ReLUs

    private static Activation Hidden(ActivationKind kind, int rows, int cols, Func<int, int, double> value)
    {
        var m = new Matrix<double>(rows, cols);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                m[r, c] = value(r, c);
            }
        }
        return new Activation("hidden", m, kind);
    }

    [Theory]
    [InlineData(ActivationKind.Sigmoid, 0.69, null)]
    [InlineData(ActivationKind.Sigmoid, 0.71, Severity.Warning)]
    [InlineData(ActivationKind.Sigmoid, 0.94, Severity.Warning)]
    [InlineData(ActivationKind.Sigmoid, 0.96, Severity.Error)]
    [InlineData(ActivationKind.Tanh, 0.71, Severity.Warning)]
    [InlineData(ActivationKind.Tanh, 0.69, null)]
    public void SaturatedHiddenUnitsFrom70PercentAndAnErrorFrom95(ActivationKind kind, double share, Severity? severity)
    {
        int[] y = Labels(100);
        double saturated = kind == ActivationKind.Sigmoid ? 0.001 : -0.999;
        // Row r: saturated in its first round(share·100) columns… spread so that exactly share of all values are.
        Activation a = Hidden(
            kind,
            100,
            100,
            (r, c) => c < (int)Math.Round(share * 100) ? saturated : 0.5 * (kind == ActivationKind.Sigmoid ? 1 : 0.2)
        );
        DoctorReport report = TrainingDoctor.Examine(Fixed(TrueClassLogits(y, 1), y, OutputKind.Logits, activations: [a]));
        Assert.Equal(share, report.Measurements["saturated.max"], 1e-12);
        Assert.Equal(severity, report[FindingCodes.SaturatedUnits]?.Severity);
    }

    [Theory]
    [InlineData(49, null)]
    [InlineData(51, Severity.Warning)]
    [InlineData(98, Severity.Warning)]
    [InlineData(99, Severity.Error)]
    public void DeadReluUnitsFromHalfTheLayerAndAnErrorFrom99Percent(int deadUnits, Severity? severity)
    {
        int[] y = Labels(40);
        Activation a = Hidden(ActivationKind.Relu, 40, 100, (r, c) => c < deadUnits ? 0 : 1 + r);
        DoctorReport report = TrainingDoctor.Examine(Fixed(TrueClassLogits(y, 1), y, OutputKind.Logits, activations: [a]));
        Assert.Equal(severity, report[FindingCodes.DeadRelu]?.Severity);
    }

    // ------------------------------------------------------------------ MN015 collapse

    [Theory]
    [InlineData(91, true)]
    [InlineData(89, false)]
    public void NinetyPercentOfConfidentPredictionsInOneClassIsACollapse(int inClassZero, bool fires)
    {
        int[] y = Labels(100);
        var z = new Matrix<double>(100, Classes);
        for (int r = 0; r < 100; r++)
        {
            z[r, r < inClassZero ? 0 : 1 + r % 3] = 5; // confident: the cross-entropy is far from ln 4
        }
        DoctorReport report = TrainingDoctor.Examine(Fixed(z, y, OutputKind.Logits));
        Assert.Equal(fires, report.Has(FindingCodes.PredictionsCollapsed));
    }

    [Fact]
    public void AnUntrainedModelPredictingOneClassIsNotACollapse()
    {
        int[] y = Labels(100);
        Matrix<double> z = new RandomState(0).Randn(100, Classes) * 1e-3; // cross-entropy ≈ ln 4
        for (int r = 0; r < 100; r++)
        {
            z[r, 0] += 0.01;
        }
        DoctorReport report = TrainingDoctor.Examine(Fixed(z, y, OutputKind.Logits));
        Assert.Equal(1.0, report.Measurements["collapse.share"]);
        Assert.False(report.Has(FindingCodes.PredictionsCollapsed));
    }

    // ------------------------------------------------------------------ MN016 outputs independent of the input

    [Fact]
    public void IdenticalOutputsThatTheUpdatesKeepIdenticalAreAnError()
    {
        (Matrix<double> x, int[] y) = Blobs();
        var p = new ParameterSet { ["W"] = new Matrix<double>(6, Classes), ["b"] = new Matrix<double>(1, Classes) };
        // The update only ever moves the bias: every input keeps getting the same logits.
        ParameterSet BiasOnly(ParameterSet q, Matrix<double> xb, int[] yb) =>
            new() { ["W"] = q["W"], ["b"] = q["b"] - 0.5 * Gradient(q, xb, yb)["b"] };
        DoctorReport stuck = TrainingDoctor.Examine(Regression(x, y, p, step: BiasOnly));
        Assert.Equal(Severity.Error, stuck[FindingCodes.OutputsIgnoreInput]?.Severity);
        DoctorReport unprobed = TrainingDoctor.Examine(Regression(x, y, p, withStep: false));
        Assert.Equal(Severity.Warning, unprobed[FindingCodes.OutputsIgnoreInput]?.Severity);
        // A zero-initialised softmax regression starts with identical outputs, and its first updates break them.
        DoctorReport zeroInit = TrainingDoctor.Examine(Regression(x, y, p));
        Assert.False(zeroInit.Has(FindingCodes.OutputsIgnoreInput));
        Assert.True(zeroInit.Healthy, zeroInit.Codes);
    }

    // ------------------------------------------------------------------ MN017 cannot overfit a small batch

    [Theory]
    [InlineData(1e-5, true)]
    [InlineData(0.5, false)]
    public void AnUpdateThatCannotHalveTheCostOfTenImagesCannotOverfit(double alpha, bool fires)
    {
        (Matrix<double> x, int[] y) = Blobs();
        DoctorReport report = TrainingDoctor.Examine(Regression(x, y, alpha: alpha));
        Assert.Equal(fires, report.Has(FindingCodes.CannotOverfit));
        // Failing, it used all its updates; passing, it stopped early.
        Assert.Equal(fires, report.Measurements["overfit.steps"] == new DoctorOptions().OverfitSteps);
    }

    // ------------------------------------------------------------------ MN018 the first non-finite value

    [Fact]
    public void TheFirstNonFiniteValueIsNamedByWhereItAppears()
    {
        int[] y = Labels(32);
        Activation a = Hidden(ActivationKind.Relu, 32, 5, (r, c) => r == 3 && c == 2 ? double.PositiveInfinity : 1);
        Matrix<double> z = TrueClassLogits(y, 1);
        z[7, 1] = double.NaN; // later in the pipeline than the activation: not the first
        DoctorReport report = TrainingDoctor.Examine(Fixed(z, y, OutputKind.Logits, activations: [a]));
        Finding f = report[FindingCodes.NonFinite]!;
        Assert.Equal("A NaN or ∞ first appears in the activation 'hidden' (sample 3, column 2): +∞", f.Title);
        DoctorReport clean = TrainingDoctor.Examine(Fixed(TrueClassLogits(y, 1), y, OutputKind.Logits));
        Assert.False(clean.Has(FindingCodes.NonFinite));
    }

    // ------------------------------------------------------------------ MN021 the softmax applied twice

    [Theory]
    [InlineData(1.0, true)]
    [InlineData(1.01, false)]
    public void LogitsThatAreProbabilitiesMeanTheSoftmaxIsAppliedTwice(double rowSum, bool fires)
    {
        (Matrix<double> x, int[] y) = Blobs();
        Matrix<double> probabilities = Softmax(x.Dot(new RandomState(2).Randn(6, Classes))) * rowSum;
        DoctorReport report = TrainingDoctor.Examine(Fixed(probabilities, y, OutputKind.Logits));
        Assert.Equal(fires, report.Has(FindingCodes.SoftmaxTwice));
    }
}

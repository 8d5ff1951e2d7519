using MnistNotebooks.Diagnostics;
using MnistNotebooks.Layers;
using MnistNotebooks.Randomness;
using MnistNotebooks.Tests.Training;

namespace MnistNotebooks.Tests.Diagnostics;

public sealed class DiagnosticsTests
{
    [Fact]
    public void SigmoidSaturationUsesAnExplicitMargin()
    {
        // Saturated below 0.01 or above 0.99: 0.005, 0.995 and 0.999 are; 0.5, 0.2 and 0.01 itself are not.
        var y = Matrix<float>.FromArray(
            new float[,]
            {
                { 0.005f, 0.5f, 0.995f },
                { 0.2f, 0.999f, 0.01f },
            }
        );
        ActivationStats s = ActivationStatistics.Compute("sig", y, ActivationKind.Sigmoid);
        Assert.Equal(0.5, s.SaturatedFraction);
        Assert.True(double.IsNaN(s.DeadFraction));
        // With a margin of 0.004 only 0.999 (> 0.996) is saturated.
        Assert.Equal(
            1.0 / 6,
            ActivationStatistics.Compute("sig", y, ActivationKind.Sigmoid, saturationMargin: 0.004).SaturatedFraction,
            1e-12
        );
    }

    [Fact]
    public void TanhSaturationIsNearPlusOrMinusOne()
    {
        var y = Matrix<float>.FromArray(
            new float[,]
            {
                { -0.995f, 0.5f },
                { 0.98f, 1.0f },
            }
        );
        Assert.Equal(0.5, ActivationStatistics.Compute("tanh", y, ActivationKind.Tanh).SaturatedFraction);
    }

    [Fact]
    public void ReluDeadUnitsAndZeroFraction()
    {
        // Column 0 is zero for every sample (dead); 6 of the 9 activations are zero.
        var y = Matrix<float>.FromArray(
            new float[,]
            {
                { 0, 1, 0 },
                { 0, 2, 0 },
                { 0, 0, 3 },
            }
        );
        ActivationStats s = ActivationStatistics.Compute("relu1", y, ActivationKind.Relu);
        Assert.Equal(1.0 / 3, s.DeadFraction, 1e-12);
        Assert.Equal(6.0 / 9, s.ZeroFraction, 1e-12);
        Assert.Equal(1, ActivationStatistics.DeadUnits(y));
        Assert.True(double.IsNaN(s.SaturatedFraction));
        Assert.Contains("dead units 33.3%", s.ToString());
    }

    [Fact]
    public void MeanStdMinMaxByHand()
    {
        var y = Matrix<float>.FromArray(
            new float[,]
            {
                { 1, 2 },
                { 3, 4 },
            }
        );
        ActivationStats s = ActivationStatistics.Compute("z", y, ActivationKind.Other);
        Assert.Equal((2.5, Math.Sqrt(1.25), 1f, 4f), (s.Mean, s.Std, s.Min, s.Max));
        Assert.Equal("(2, 2)", s.Shape);
        Assert.Equal("z (2, 2) other | mean +2.5000 std 1.1180 | min 1.0000 max 4.0000", s.ToString());
    }

    [Fact]
    public void NonFiniteValuesAreCountedAndExcluded()
    {
        var y = Matrix<float>.FromArray(
            new float[,]
            {
                { 1, float.NaN, 3, float.PositiveInfinity },
            }
        );
        ActivationStats s = ActivationStatistics.Compute("z", y, ActivationKind.Other);
        Assert.Equal((2, 2.0), (s.NonFiniteCount, s.Mean));
    }

    [Fact]
    public void ForwardPassStatisticsDetectKindsFromTheLayerKind()
    {
        var model = new Sequential(new TestLinear("dense1", 2, 3, new RandomState(1), 10f), new TestSigmoid("act1"), new Relu("relu1"));
        Matrix<float> x = Matrix<float>.FromArray(
            new float[,]
            {
                { 1, -1 },
                { 2, 0.5f },
            }
        );

        IReadOnlyList<ActivationStats> stats = ActivationStatistics.Of(model, x);

        Assert.Equal([ActivationKind.Other, ActivationKind.Sigmoid, ActivationKind.Relu], stats.Select(s => s.Kind));
        Assert.Equal(["dense1", "act1", "relu1"], stats.Select(s => s.Layer));
        Assert.Equal(
            ActivationStatistics.Compute("act1", model.Outputs[1], ActivationKind.Sigmoid).SaturatedFraction,
            stats[1].SaturatedFraction
        );
        Assert.Equal(stats.Select(s => s.ToString()), ActivationStatistics.OfLastForward(model).Select(s => s.ToString()));
        IReadOnlyList<ActivationStats> overridden = ActivationStatistics.Of(model, x, kindOf: _ => ActivationKind.Tanh);
        Assert.All(overridden, s => Assert.Equal(ActivationKind.Tanh, s.Kind));
    }

    [Fact]
    public void GradientNormsByHand()
    {
        var a = new Parameter<float>("a", new Matrix<float>(1, 2));
        var b = new Parameter<float>("b", new Matrix<float>(1, 1));
        a.Gradient.Data[0] = 3;
        a.Gradient.Data[1] = -4;
        b.Gradient.Data[0] = 12;

        IReadOnlyList<GradientNorm> norms = GradientNorms.Of([a, b]);

        Assert.Equal((5.0, 4.0), (norms[0].Norm, norms[0].MaxAbs));
        Assert.Equal(12.0, norms[1].Norm);
        Assert.Equal(13.0, GradientNorms.Global([a, b]));
        Assert.Equal("a (1, 2) | ‖g‖ 5.000e+00 | max |g| 4.000e+00", norms[0].ToString());
    }

    [Fact]
    public void UpdateRatioAroundAnOptimizerStep()
    {
        // W = [3, 4] (‖W‖ = 5), g = [−10, 0], α = 0.1: ΔW = [1, 0], ratio 1/5. A zero bias that moves has ratio ∞.
        var w = new Parameter<float>(
            "W",
            Matrix<float>.FromArray(
                new float[,]
                {
                    { 3, 4 },
                }
            )
        );
        var b = new Parameter<float>("b", new Matrix<float>(1, 1));
        w.Gradient.Data[0] = -10;
        b.Gradient.Data[0] = 1;

        IReadOnlyList<UpdateRatio> ratios = UpdateRatioTracker<float>.AroundStep(new TestSgd([w, b], 0.1f));

        Assert.Equal(1.0, ratios[0].UpdateNorm, 1e-6);
        Assert.Equal(5.0, ratios[0].WeightNorm);
        Assert.Equal(0.2, ratios[0].Ratio, 1e-6);
        Assert.Equal(Math.Log10(0.2), ratios[0].Log10Ratio, 1e-5);
        Assert.True(double.IsPositiveInfinity(ratios[1].Ratio));
        Assert.Equal(0.0, new UpdateRatio("z", 0, 0).Ratio);
    }

    [Fact]
    public void UpdateRatioTrackerRequiresASnapshot()
    {
        var tracker = new UpdateRatioTracker<float>([new Parameter<float>("W", new Matrix<float>(1, 1))]);
        Assert.Throws<InvalidOperationException>(() => tracker.After());
    }

    [Fact]
    public void ClassDistributionCountsPredictions()
    {
        ClassDistribution d = ClassDistribution.Of([1, 1, 2, 9, 1]);
        Assert.Equal([0, 3, 1, 0, 0, 0, 0, 0, 0, 1], d.Counts);
        Assert.Equal((1, 0.6, 3, 5), (d.MostCommon, d.MostCommonFraction, d.ClassesPredicted, d.Total));
        Assert.EndsWith("9: 1 (20.0%) | most common 1 (60.0%)", d.ToString());

        var outputs = Matrix<float>.FromArray(
            new float[,]
            {
                { 0, 5, 1 },
                { 2, 2, 0 },
                { 0, 1, 7 },
            }
        );
        Assert.Equal([1, 1, 1], ClassDistribution.OfOutputs(outputs).Counts);
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassDistribution.Of([10]));
    }

    [Fact]
    public void InitialLossOfUniformLogitsIsLn10()
    {
        var model = new Sequential(new TestLinear("dense", 3, 10, new RandomState(1), scale: 0f));
        var x = Matrix<float>.FromArray(
            new float[,]
            {
                { 1, 2, 3 },
                { -1, 0, 4 },
            }
        );

        InitialLossResult r = InitialLossCheck.Run(model, new TestSoftmaxCrossEntropy(), x, [3, 7]);

        Assert.Equal(2.302585, r.Measured, 1e-6);
        Assert.Equal(Math.Log(10), r.Expected);
        Assert.True(r.Passed);
        Assert.Equal("initial loss 2.3026, expected ln(10) = 2.3026 ± 0.1: OK", r.Message);
    }

    [Fact]
    public void InitialLossFarFromLn10Fails()
    {
        InitialLossResult r = InitialLossCheck.Of(5.0);
        Assert.False(r.Passed);
        Assert.Equal("initial loss 5.0000, expected ln(10) = 2.3026 ± 0.1: FAIL (off by +2.6974)", r.Message);
        Assert.False(InitialLossCheck.Of(double.NaN).Passed);
        Assert.True(InitialLossCheck.Of(0.75, classes: 2, tolerance: 0.1).Passed); // ln 2 = 0.693
    }
}

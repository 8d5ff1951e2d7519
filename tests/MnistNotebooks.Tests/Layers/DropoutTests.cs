using MnistNotebooks.Layers;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Tests.Layers;

public sealed class DropoutTests
{
    /// <summary>The reference: the mask drawn here, one generator word per element, kept when u ≥ p·2³².</summary>
    private static double[] ReferenceMask(int count, double rate, int seed)
    {
        var rng = new RandomState(seed);
        uint threshold = (uint)Math.Round(rate * 4294967296.0);
        return [.. Enumerable.Range(0, count).Select(_ => rng.NextUInt32() >= threshold ? 1 / (1 - rate) : 0)];
    }

    [Fact]
    public void TrainingMatchesTheReferenceMaskAndBackwardUsesIt()
    {
        var layer = new Dropout<double>(0.3, seed: 4);
        Matrix<double> x = Numeric.RandomMatrix<double>(6, 50, new RandomState(1));
        Matrix<double> g = Numeric.RandomMatrix<double>(6, 50, new RandomState(2));
        double[] mask = ReferenceMask(300, 0.3, 4);
        Assert.Equal(x.Data.Zip(mask, (a, m) => a * m), layer.Forward(x).Data);
        Assert.Equal(g.Data.Zip(mask, (a, m) => a * m), layer.Backward(g).Data);
        // The next Forward draws the next 300 words: a new mask.
        double[] next = ReferenceMask(600, 0.3, 4)[300..];
        Assert.Equal(x.Data.Zip(next, (a, m) => a * m), layer.Forward(x).Data);
    }

    [Fact]
    public void TrainAndEvalModesMatchAScalarReference()
    {
        // The reference, element by element: training y = x·m, dx = g·m with m = 0 or 1/(1 − p) from the reference mask;
        // evaluation y = x and dx = g exactly, drawing no random words.
        const double p = 0.25;
        var layer = new Dropout<double>(p, seed: 3);
        Matrix<double> x = Numeric.RandomMatrix<double>(5, 40, new RandomState(7));
        Matrix<double> g = Numeric.RandomMatrix<double>(5, 40, new RandomState(8));
        double[] masks = ReferenceMask(400, p, 3);
        Assert.All(masks, m => Assert.True(m == 0 || m == 1 / 0.75));
        double[] y = layer.Forward(x).Data.ToArray();
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal(x.Data[i] * masks[i], y[i]);
        }
        // Backward reuses the mask of the last Forward, however often it is called.
        for (int call = 0; call < 2; call++)
        {
            double[] dx = layer.Backward(g).Data;
            for (int i = 0; i < 200; i++)
            {
                Assert.Equal(g.Data[i] * masks[i], dx[i]);
            }
        }
        layer.Training = false;
        Assert.Same(x, layer.Forward(x));
        Assert.Same(g, layer.Backward(g));
        // Back in training, the next mask is the generator's next 200 words: evaluation consumed none.
        layer.Training = true;
        double[] next = layer.Forward(x).Data;
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal(x.Data[i] * masks[200 + i], next[i]);
        }
    }

    [Fact]
    public void DropsAboutPAndKeepsTheMeanAtTrainingTime()
    {
        var layer = new Dropout(0.5, seed: 9);
        var x = Matrix<float>.Full(200, 500, 1f);
        Matrix<float> y = layer.Forward(x);
        double dropped = y.Data.Count(v => v == 0) / (double)y.Length;
        Assert.InRange(dropped, 0.5 - 0.005, 0.5 + 0.005); // 4.5 standard errors of 100,000 draws
        Assert.All(y.Data, v => Assert.True(v == 0 || v == 2f));
        Assert.InRange(y.Data.Average(v => (double)v), 0.99, 1.01);
    }

    [Fact]
    public void EvaluationIsTheIdentityAndASequentialSetsTheMode()
    {
        var rng = new RandomState(0);
        var model = new Sequential(new Dense(4, 8, rng), new Relu(), new Dropout(0.5, seed: 1), new Dense(8, 2, rng));
        Matrix<float> x = Numeric.RandomMatrix(3, 4, rng);
        model.Training = false;
        Matrix<float> a = model.Forward(x).Clone(),
            b = model.Forward(x).Clone();
        Assert.Equal(a.Data, b.Data);
        Assert.Same(model.Outputs[1], model.Outputs[2]); // the ReLU's output passes through unchanged
        model.Training = true;
        Assert.NotEqual(a.Data, model.Forward(x).Data);
        Assert.Equal("dropout1", model.Layers[2].Name);
    }

    [Fact]
    public void SameSeedSameMasksAndRateIsValidated()
    {
        var x = Matrix<float>.Full(10, 10, 1f);
        Assert.Equal(new Dropout(0.2, 7).Forward(x).Data, new Dropout(0.2, 7).Forward(x).Data);
        Assert.NotEqual(new Dropout(0.2, 7).Forward(x).Data, new Dropout(0.2, 8).Forward(x).Data);
        Assert.Equal(x.Data, new Dropout(0, 7).Forward(x).Data);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(-0.1, 0));
    }

    [Fact]
    public void EvaluationAfterATrainingForwardPassesGradientsThrough()
    {
        var layer = new Dropout<double>(0.5, seed: 2, name: "drop");
        var x = Matrix<double>.Full(2, 3, 1);
        var g = Matrix<double>.Full(2, 3, 1);
        layer.Forward(x);
        layer.Training = false;
        Assert.Same(x, layer.Forward(x));
        // The mask of the training Forward no longer applies: dX = dY itself.
        Assert.Same(g, layer.Backward(g));
        Assert.Throws<ArgumentNullException>(() => layer.Forward(null!));
        Assert.Throws<ArgumentNullException>(() => layer.Backward(null!));
    }

    [Fact]
    public void BackwardChecksTheShapeOfTheMask()
    {
        var layer = new Dropout<double>(0.5, seed: 2);
        layer.Forward(new Matrix<double>(2, 3));
        var ex = Assert.Throws<ShapeMismatchException>(() => layer.Backward(new Matrix<double>(3, 2)));
        Assert.StartsWith("Expected outputGradient (2, 3) but got (3, 2)", ex.Message);
    }

    [Fact]
    public void ConvertKeepsRateSeedNameAndMode()
    {
        var layer = new Dropout(0.25, seed: 6, name: "drop") { Training = false };
        var copy = (Dropout<double>)layer.Convert<double>();
        Assert.Equal((0.25, 6, "drop", false), (copy.Rate, copy.Seed, copy.Name, copy.Training));
        var x = Matrix<double>.Full(1, 4, 1);
        Assert.Same(x, copy.Forward(x));
        copy.Training = true;
        Assert.Equal(ReferenceMask(4, 0.25, 6), copy.Forward(x).Data);
        Assert.True(((Dropout<double>)new Dropout(0.25, 6).Convert<double>()).Training);
        Assert.Equal("drop: Dropout(p = 0.25)", layer.ToString());
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(double.NaN, 0));
        Assert.Equal("rate", ex.ParamName);
        Assert.StartsWith("Expected a dropout rate p in [0, 1)", ex.Message);
    }

    [Fact]
    public void TinyRatesStillDropWhatTheReferenceDrops()
    {
        // p = 2⁻³²: only a word of exactly 0 is dropped, so nothing is in a few draws; the scale is 1/(1 − p).
        var layer = new Dropout<double>(Math.Pow(2, -32), seed: 1);
        Matrix<double> y = layer.Forward(Matrix<double>.Full(1, 50, 1));
        Assert.Equal(ReferenceMask(50, Math.Pow(2, -32), 1), y.Data);
        Assert.All(y.Data, v => Assert.Equal(1 / (1 - Math.Pow(2, -32)), v));
        // p = 0 in training is the identity, like evaluation: the input itself, and dX = dY.
        var none = new Dropout<double>(0, seed: 1);
        Matrix<double> x = Matrix<double>.Full(1, 3, 2);
        Assert.Same(x, none.Forward(x));
        Assert.Same(x, none.Backward(x));
    }

    [Fact]
    public void AWordEqualToTheThresholdIsKept()
    {
        // p·2³² set to the generator's first word u: u ≥ p·2³² keeps the element (u > p·2³² would drop it).
        uint u = new RandomState(3).NextUInt32();
        double rate = u / 4294967296.0;
        var layer = new Dropout<double>(rate, seed: 3);
        Assert.Equal(1 / (1 - rate), layer.Forward(Matrix<double>.Full(1, 1, 1)).Data[0]);
        // And p·2³² one above it drops the element.
        var above = new Dropout<double>((u + 1.0) / 4294967296.0, seed: 3);
        Assert.Equal(0, above.Forward(Matrix<double>.Full(1, 1, 1)).Data[0]);
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.6)] // a threshold above 2³¹: the comparison must be unsigned
    public void Float32MasksOverManyBlocksMatchTheReference(double rate)
    {
        // 3 × 1,001 elements: whole and partial blocks of words, and a tail shorter than a vector.
        var layer = new Dropout<float>(rate, seed: 9);
        Matrix<float> x = Numeric.RandomMatrix<float>(3, 1_001, new RandomState(1));
        float keep = 1f / (1f - (float)rate);
        double[] mask = ReferenceMask(2 * 3_003, rate, 9);
        Assert.Equal(x.Data.Select((a, i) => a * (mask[i] == 0 ? 0f : keep)), layer.Forward(x).Data);
        Assert.Equal(x.Data.Select((a, i) => a * (mask[3_003 + i] == 0 ? 0f : keep)), layer.Forward(x).Data);
    }

    [Fact]
    public void Float32KeepsAWordEqualToTheThresholdInAnyLane()
    {
        // p·2³² set to the sixth word: lane 5 of the first vector compares equal and is kept.
        var rng = new RandomState(3);
        uint[] words = new uint[8];
        rng.NextUInt32(words);
        double rate = words[5] / 4294967296.0;
        float[] y = new Dropout<float>(rate, seed: 3).Forward(Matrix<float>.Full(1, 8, 1)).Data;
        Assert.Equal(1f / (1f - (float)rate), y[5]);
        Assert.All(Enumerable.Range(0, 8), i => Assert.Equal(words[i] >= words[5], y[i] != 0));
    }
}

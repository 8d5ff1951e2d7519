using System.Text.RegularExpressions;
using MnistNotebooks.GradientChecking;
using MnistNotebooks.Initialization;
using MnistNotebooks.Kernels;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Randomness;
using MnistNotebooks.Tests.Layers;

namespace MnistNotebooks.Tests.GradientChecking;

public sealed class GradientCheckTests
{
    private const int Batch = 8,
        Inputs = 6,
        Hidden = 5,
        Classes = 3;
    private static readonly int[] Labels = [0, 1, 2, 0, 1, 2, 2, 1];

    /// <summary>Dense, Sigmoid, Dense, Sigmoid with squared error, in miniature.</summary>
    private static (Sequential<T> Model, Dense<T> First, Dense<T> Second, Matrix<T> X) SigmoidNet<T>(int seed = 1)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new RandomState(seed);
        var first = new Dense<T>(Inputs, Hidden, rng, new Normal(0.5), new Normal(0.1));
        var second = new Dense<T>(Hidden, Classes, rng, new Normal(0.5), new Normal(0.1));
        var model = new Sequential<T>(first, new Sigmoid<T>(), second, new Sigmoid<T>());
        return (model, first, second, Numeric.RandomMatrix<T>(Batch, Inputs, rng));
    }

    /// <summary>A hand-written backprop in double for 0.5·Σ(out − y)²/batch + 0.5·λ·Σw² (over W and b), as a chapter
    /// writes it. The flags put in, one at a time, three classic mistakes.</summary>
    private static Matrix<double>[] HandBackprop(
        Dense<double> first,
        Dense<double> second,
        Matrix<double> x,
        double lambda,
        bool missOutputDerivative = false,
        bool missHiddenDerivative = false,
        bool doubleDecay = false
    )
    {
        Matrix<double> a1 = new Sigmoid<double>().Forward(first.Forward(x)).Clone();
        Matrix<double> a2 = new Sigmoid<double>().Forward(second.Forward(a1)).Clone();
        var dW1 = new Matrix<double>(Inputs, Hidden);
        var db1 = new Matrix<double>(1, Hidden);
        var dW2 = new Matrix<double>(Hidden, Classes);
        var db2 = new Matrix<double>(1, Classes);
        for (int r = 0; r < Batch; r++)
        {
            var dz2 = new double[Classes];
            for (int c = 0; c < Classes; c++)
            {
                double e = a2[r, c] - (Labels[r] == c ? 1 : 0);
                dz2[c] = missOutputDerivative ? e : e * a2[r, c] * (1 - a2[r, c]);
            }
            for (int j = 0; j < Hidden; j++)
            {
                double dh = 0;
                for (int c = 0; c < Classes; c++)
                {
                    dh += dz2[c] * second.Weights.Value[j, c];
                    dW2[j, c] += a1[r, j] * dz2[c] / Batch;
                }
                double dz1 = missHiddenDerivative ? dh : dh * a1[r, j] * (1 - a1[r, j]);
                for (int i = 0; i < Inputs; i++)
                {
                    dW1[i, j] += x[r, i] * dz1 / Batch;
                }
                db1.Data[j] += dz1 / Batch;
            }
            for (int c = 0; c < Classes; c++)
            {
                db2.Data[c] += dz2[c] / Batch;
            }
        }
        Matrix<double>[] grads = [dW1, db1, dW2, db2];
        Parameter<double>[] ps = [first.Weights, first.Bias!, second.Weights, second.Bias!];
        for (int t = 0; t < 4; t++)
        {
            ElementWise.Axpy(doubleDecay ? 2 * lambda : lambda, ps[t].Value.Data, grads[t].Data);
        }
        return grads;
    }

    private static (string, Matrix<double>, Matrix<double>)[] Tensors(Sequential<double> model, Matrix<double>[] grads) =>
        [.. model.Parameters.Select((p, i) => (p.Name, p.Value, grads[i]))];

    /// <summary>0.5·Σ(out − y)²/batch + 0.5·λ·Σw² in double, read from the model's current weights.</summary>
    private static Func<double> Cost(Sequential<double> model, Matrix<double> x, double lambda)
    {
        var mse = new MeanSquaredError<double>();
        return () =>
            mse.Forward(model.Forward(x), Labels)
            + 0.5 * lambda * model.Parameters.Sum(p => ElementWise.SumOfSquares<double>(p.Value.Data));
    }

    [Fact]
    public void ModelAndLossOwnBackwardPassInDouble()
    {
        var (model, _, _, x) = SigmoidNet<float>();
        GradientCheckResult result = GradientCheck.Check(model, new MeanSquaredError(), x, Labels);
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(CheckPrecision.Double, result.Precision);
        Assert.Equal(["dense1.W", "dense1.b", "dense2.W", "dense2.b"], result.Tensors.Select(t => t.Name));
        Assert.All(result.Tensors, t => Assert.InRange(t.MaxRelativeError, 0, 1e-6));
    }

    [Fact]
    public void ReluNetWithSoftmaxCrossEntropyPassesWithSampling()
    {
        var rng = new RandomState(3);
        var model = new Sequential(new Dense(784, 16, rng, new He()), new Relu(), new Dense(16, 10, rng, new He()));
        Matrix<float> x = Numeric.RandomMatrix(4, 784, rng);
        GradientCheckResult result = GradientCheck.Check(
            model,
            new SoftmaxCrossEntropy(),
            x,
            [3, 1, 4, 1],
            new GradientCheckOptions { MaxEntriesPerTensor = 20, Seed = 5 }
        );
        Assert.True(result.Passed, result.ToString());
        Assert.Equal([20, 16, 20, 10], result.Tensors.Select(t => t.Checked));
    }

    [Fact]
    public void LinesAreReadableAndInvariant()
    {
        var (model, _, _, x) = SigmoidNet<float>();
        GradientCheckResult result = GradientCheck.Check(model, new MeanSquaredError(), x, Labels);
        string[] lines = result.ToString().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Matches(new Regex(@"^dense1\.W \(6, 5\) \| max abs \d\.\de-\d\d \| max rel \d\.\de-\d\d \| OK$"), lines[0]);
        Assert.Equal(lines[0], result.Tensors[0].ToString());

        var wide = new GradientCheckResult([result.Tensors[0], result.Tensors[1] with { Name = "b" }], CheckPrecision.Double, 1e-6);
        string[] padded = wide.ToString().Split('\n');
        Assert.StartsWith("b (1, 5)        | max abs", padded[1]); // padded so the columns line up
        Assert.Equal(padded[0].IndexOf('|', StringComparison.Ordinal), padded[1].IndexOf('|', StringComparison.Ordinal));
    }

    [Fact]
    public void HandWrittenCorrectGradientWithL2TermPasses()
    {
        const double lambda = 0.01;
        var (model, first, second, x) = SigmoidNet<double>();
        GradientCheckResult result = GradientCheck.Compare(Tensors(model, HandBackprop(first, second, x, lambda)), Cost(model, x, lambda));
        Assert.True(result.Passed, result.ToString());
        Assert.All(result.Tensors, t => Assert.InRange(t.MaxRelativeError, 0, 1e-6));
    }

    [Fact]
    public void FlagsExactlyTheTensorsABugTouches()
    {
        const double lambda = 0.01;
        var (model, first, second, x) = SigmoidNet<double>();
        Func<double> cost = Cost(model, x, lambda);

        // σ' forgotten in the hidden layer: only the first layer's gradients are wrong.
        var hidden = GradientCheck.Compare(Tensors(model, HandBackprop(first, second, x, lambda, missHiddenDerivative: true)), cost);
        Assert.Equal(["dense1.W", "dense1.b"], hidden.Failed);

        // 2λw instead of λw: every tensor is off by λw.
        var decay = GradientCheck.Compare(Tensors(model, HandBackprop(first, second, x, lambda, doubleDecay: true)), cost);
        Assert.Equal(4, decay.Failed.Count);

        // σ'(output) forgotten: wrong everywhere, since the output delta feeds every tensor.
        var output = GradientCheck.Compare(Tensors(model, HandBackprop(first, second, x, lambda, missOutputDerivative: true)), cost);
        Assert.Equal(4, output.Failed.Count);
        Assert.Contains("FAIL", output.ToString());
    }

    [Fact]
    public void ReadsParameterGradientsAfterAUserBackward()
    {
        var (model, first, second, x) = SigmoidNet<double>();
        Matrix<double>[] grads = HandBackprop(first, second, x, 0, missHiddenDerivative: true);
        for (int t = 0; t < 4; t++)
        {
            grads[t].CopyTo(model.Parameters[t].Gradient);
        }
        GradientCheckResult result = GradientCheck.Compare(model.Parameters, Cost(model, x, 0));
        Assert.Equal(["dense1.W", "dense1.b"], result.Failed);
    }

    [Fact]
    public void Float32CheckFailsAtSmallEpsilonWhileDoublePassesAndTheModelIsUntouched()
    {
        var (model, _, _, x) = SigmoidNet<float>();
        float[][] before = [.. model.Parameters.Select(p => (float[])p.Value.Data.Clone())];
        var small = new GradientCheckOptions { Epsilon = 1e-6 };
        Assert.True(GradientCheck.Check(model, new MeanSquaredError(), x, Labels, small).Passed);
        GradientCheckResult f32 = GradientCheck.Check(
            model,
            new MeanSquaredError(),
            x,
            Labels,
            small with
            {
                Precision = CheckPrecision.Float32,
            }
        );
        Assert.False(f32.Passed, f32.ToString());
        Assert.Equal(CheckPrecision.Float32, f32.Precision);
        Assert.All(f32.Tensors, t => Assert.True(t.MaxRelativeError > 0.01, t.ToString()));
        for (int t = 0; t < before.Length; t++)
        {
            Assert.Equal(before[t], model.Parameters[t].Value.Data);
            Assert.All(model.Parameters[t].Gradient.Data, g => Assert.Equal(0f, g));
        }
    }

    [Fact]
    public void NaNGradientFails()
    {
        var (model, first, second, x) = SigmoidNet<double>();
        Matrix<double>[] grads = HandBackprop(first, second, x, 0);
        grads[3].Data[1] = double.NaN;
        GradientCheckResult result = GradientCheck.Compare(Tensors(model, grads), Cost(model, x, 0));
        Assert.Equal(["dense2.b"], result.Failed);
        Assert.Equal(1, result["dense2.b"].WorstIndex);
        Assert.Contains("max rel NaN", result["dense2.b"].ToString());
    }

    [Fact]
    public void RejectsMismatchedGradients()
    {
        var (model, _, _, x) = SigmoidNet<double>();
        (string, Matrix<double>, Matrix<double>)[] tensors = [("dense2.b", model.Parameters[3].Value, new Matrix<double>(3, 1))];
        var ex = Assert.Throws<ShapeMismatchException>(() => GradientCheck.Compare(tensors, Cost(model, x, 0)));
        Assert.Contains("Expected gradient of dense2.b (1, 3) but got (3, 1)", ex.Message);
        var bad = Assert.Throws<ArgumentOutOfRangeException>(() =>
            GradientCheck.Compare(model.Parameters, Cost(model, x, 0), new GradientCheckOptions { Epsilon = 0 })
        );
        Assert.Contains("Epsilon", bad.Message);
    }
}

using System.Text.RegularExpressions;
using MnistNotebooks.GradientChecking;
using MnistNotebooks.Initialization;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Tests.Layers;

namespace MnistNotebooks.Tests.GradientChecking;

public sealed class GradientCheckTests
{
    private const int Batch = 8,
        Inputs = 6,
        Hidden = 5,
        Classes = 3;
    private static readonly int[] Labels = [0, 1, 2, 0, 1, 2, 2, 1];

    /// <summary>Seed 004's shape in miniature: Dense, Sigmoid, Dense, Sigmoid, with squared error.</summary>
    private static (Sequential Model, Dense First, Dense Second, Matrix X) SigmoidNet(int seed = 1)
    {
        var rng = new Random(seed);
        var first = new Dense(Inputs, Hidden, new Normal(0.5), rng, new Normal(0.1));
        var second = new Dense(Hidden, Classes, new Normal(0.5), rng, new Normal(0.1));
        var model = new Sequential(first, new Sigmoid(), second, new Sigmoid());
        return (model, first, second, Numeric.RandomMatrix(Batch, Inputs, rng));
    }

    /// <summary>A hand-written backprop for 0.5·Σ(out − y)²/batch + 0.5·λ·Σw² (over W and b), as a chapter writes it.
    /// The flags reproduce the asker's mistakes in seed 004 one at a time.</summary>
    private static Matrix[] HandBackprop(
        Dense first,
        Dense second,
        Matrix x,
        double lambda,
        bool missOutputDerivative = false,
        bool missHiddenDerivative = false,
        bool doubleDecay = false
    )
    {
        Matrix a1 = new Sigmoid().Forward(first.Forward(x)).Clone();
        Matrix a2 = new Sigmoid().Forward(second.Forward(a1)).Clone();
        var dW1 = new Matrix(Inputs, Hidden);
        var db1 = new Matrix(1, Hidden);
        var dW2 = new Matrix(Hidden, Classes);
        var db2 = new Matrix(1, Classes);
        for (int r = 0; r < Batch; r++)
        {
            var dz2 = new float[Classes];
            for (int c = 0; c < Classes; c++)
            {
                float e = a2[r, c] - (Labels[r] == c ? 1 : 0);
                dz2[c] = missOutputDerivative ? e : e * a2[r, c] * (1 - a2[r, c]);
            }
            for (int j = 0; j < Hidden; j++)
            {
                float dh = 0;
                for (int c = 0; c < Classes; c++)
                {
                    dh += dz2[c] * second.Weights.Value[j, c];
                    dW2[j, c] += a1[r, j] * dz2[c] / Batch;
                }
                float dz1 = missHiddenDerivative ? dh : dh * a1[r, j] * (1 - a1[r, j]);
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
        float decay = (float)(doubleDecay ? 2 * lambda : lambda);
        Matrix[] grads = [dW1, db1, dW2, db2];
        Parameter[] ps = [first.Weights, first.Bias!, second.Weights, second.Bias!];
        for (int t = 0; t < 4; t++)
        {
            MnistNotebooks.Kernels.ElementWise.Axpy(decay, ps[t].Value.Data, grads[t].Data);
        }
        return grads;
    }

    private static Func<IReadOnlyDictionary<Parameter, double[]>, double> Cost(Sequential model, Matrix x, double lambda)
    {
        var data = GradientCheck.DoubleLoss(model, new MeanSquaredError(), x, Labels);
        return values => data(values) + 0.5 * lambda * GradientCheck.SumOfSquares(values);
    }

    [Fact]
    public void ModelAndLossOwnBackwardPass()
    {
        var (model, _, _, x) = SigmoidNet();
        GradientCheckResult result = GradientCheck.Check(model, new MeanSquaredError(), x, Labels);
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(["dense1.W", "dense1.b", "dense2.W", "dense2.b"], result.Tensors.Select(t => t.Name));
        Assert.All(result.Tensors, t => Assert.InRange(t.MaxRelativeError, 0, 1e-4));
    }

    [Fact]
    public void ReluNetWithSoftmaxCrossEntropyPassesWithSampling()
    {
        var rng = new Random(3);
        var model = new Sequential(new Dense(784, 16, new He(), rng), new Relu(), new Dense(16, 10, new He(), rng));
        Matrix x = Numeric.RandomMatrix(4, 784, rng);
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
        var (model, _, _, x) = SigmoidNet();
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
    public void ExternalCorrectGradientWithL2TermPasses()
    {
        const double lambda = 0.01;
        var (model, first, second, x) = SigmoidNet();
        Matrix[] grads = HandBackprop(first, second, x, lambda);
        GradientCheckResult result = GradientCheck.Compare(model.Parameters, grads, Cost(model, x, lambda));
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void FlagsExactlyTheTensorsABugTouches()
    {
        const double lambda = 0.01;
        var (model, first, second, x) = SigmoidNet();
        var cost = Cost(model, x, lambda);

        // σ' forgotten in the hidden layer: only the first layer's gradients are wrong.
        var hidden = GradientCheck.Compare(model.Parameters, HandBackprop(first, second, x, lambda, missHiddenDerivative: true), cost);
        Assert.Equal(["dense1.W", "dense1.b"], hidden.Failed);

        // 2λw instead of λw (the asker's `lam*Wl2*2`): every tensor is off by λw.
        var decay = GradientCheck.Compare(model.Parameters, HandBackprop(first, second, x, lambda, doubleDecay: true), cost);
        Assert.Equal(4, decay.Failed.Count);

        // σ'(output) forgotten: wrong everywhere, since the output delta feeds every tensor.
        var output = GradientCheck.Compare(model.Parameters, HandBackprop(first, second, x, lambda, missOutputDerivative: true), cost);
        Assert.False(output.Passed);
        Assert.Equal(4, output.Failed.Count);
        Assert.Contains("FAIL", output.ToString());
    }

    [Fact]
    public void ReadsParameterGradientsAfterAUserBackward()
    {
        var (model, first, second, x) = SigmoidNet();
        model.ZeroGradients();
        Matrix[] grads = HandBackprop(first, second, x, 0, missHiddenDerivative: true);
        for (int t = 0; t < 4; t++)
        {
            grads[t].CopyTo(model.Parameters[t].Gradient);
        }
        GradientCheckResult result = GradientCheck.Compare(model.Parameters, Cost(model, x, 0));
        Assert.Equal(["dense1.W", "dense1.b"], result.Failed);
    }

    [Fact]
    public void Float32CheckIsUselessAtSmallEpsilonWhileDoublePasses()
    {
        var (model, _, _, x) = SigmoidNet();
        float[][] before = model.Parameters.Select(p => (float[])p.Value.Data.Clone()).ToArray();
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
            Assert.Equal(before[t], model.Parameters[t].Value.Data); // restored exactly
        }
    }

    [Fact]
    public void NaNGradientFails()
    {
        var (model, first, second, x) = SigmoidNet();
        Matrix[] grads = HandBackprop(first, second, x, 0);
        grads[3].Data[1] = float.NaN;
        GradientCheckResult result = GradientCheck.Compare(model.Parameters, grads, Cost(model, x, 0));
        Assert.Equal(["dense2.b"], result.Failed);
        Assert.Equal(1, result["dense2.b"].WorstIndex);
        Assert.Contains("max rel NaN", result["dense2.b"].ToString());
    }

    [Fact]
    public void RejectsMismatchedGradients()
    {
        var (model, _, _, x) = SigmoidNet();
        Assert.Throws<ArgumentException>(() => GradientCheck.Compare(model.Parameters, [new Matrix(6, 5)], Cost(model, x, 0)));
        var ex = Assert.Throws<ShapeMismatchException>(() =>
            GradientCheck.Compare(
                model.Parameters,
                [new Matrix(6, 5), new Matrix(1, 5), new Matrix(5, 3), new Matrix(3, 1)],
                Cost(model, x, 0)
            )
        );
        Assert.Contains("Expected gradient of dense2.b (1, 3) but got (3, 1)", ex.Message);
    }
}

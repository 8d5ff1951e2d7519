using MnistNotebooks.Layers;
using MnistNotebooks.Optimizers;

namespace MnistNotebooks.Tests.Optimizers;

public sealed class OptimizerTests
{
    private static readonly double[][] Gradients =
    [
        [0.1, -0.2, 0.3],
        [0.4, 0.0, -0.5],
        [-0.3, 0.2, 0.1],
    ];
    private static readonly double[] Start = [1, -2, 0.5];

    private static Parameter MakeParameter() => new("p", new Matrix(1, 3, Start.Select(v => (float)v).ToArray()));

    /// <summary>Runs the optimizer for each gradient in <see cref="Gradients"/> (gradients zeroed between steps).</summary>
    private static float[] Run(Func<Parameter, Optimizer> make, int steps)
    {
        Parameter p = MakeParameter();
        Optimizer opt = make(p);
        for (int t = 0; t < steps; t++)
        {
            opt.ZeroGradients();
            for (int i = 0; i < 3; i++)
            {
                p.Gradient.Data[i] = (float)Gradients[t][i];
            }
            opt.Step();
        }
        return p.Value.Data;
    }

    private static void AssertClose(double[] expected, float[] actual, double tol = 1e-6)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"element {i}: expected {expected[i]:G9} but got {actual[i]:G9}");
        }
    }

    [Fact]
    public void SgdByHand()
    {
        // w − α·g twice, α = 0.1: 1 − 0.01 − 0.04 = 0.95; −2 + 0.02 − 0 = −1.98; 0.5 − 0.03 + 0.05 = 0.52.
        AssertClose([0.95, -1.98, 0.52], Run(p => new Sgd([p], 0.1f), 2));
    }

    [Fact]
    public void MomentumAndNesterovByHand()
    {
        // One scalar, g = 1 both steps, α = 0.1, μ = 0.9. Momentum: v = 1, w = 0.9; v = 1.9, w = 0.71.
        // Nesterov: v = 1, w = 1 − 0.1·(1 + 0.9) = 0.81; v = 1.9, w = 0.81 − 0.1·(1 + 1.71) = 0.539.
        foreach ((bool nesterov, double expected) in new[] { (false, 0.71), (true, 0.539) })
        {
            var p = new Parameter("w", new Matrix(1, 1, [1f]));
            var opt = new Sgd([p], 0.1f, momentum: 0.9f, nesterov: nesterov);
            for (int t = 0; t < 2; t++)
            {
                p.Gradient.Data[0] = 1;
                opt.Step();
            }
            Assert.Equal(expected, p.Value.Data[0], 6);
        }
    }

    [Fact]
    public void MomentumMatchesDoubleReferenceOverThreeSteps()
    {
        const double lr = 0.05,
            mu = 0.8;
        foreach (bool nesterov in new[] { false, true })
        {
            double[] w = (double[])Start.Clone(),
                v = new double[3];
            for (int t = 0; t < 3; t++)
            {
                for (int i = 0; i < 3; i++)
                {
                    v[i] = mu * v[i] + Gradients[t][i];
                    w[i] -= lr * (nesterov ? Gradients[t][i] + mu * v[i] : v[i]);
                }
            }
            AssertClose(w, Run(p => new Sgd([p], (float)lr, (float)mu, nesterov), 3));
        }
    }

    [Fact]
    public void RmsPropByHandAndOverThreeSteps()
    {
        // First step: s = 0.1·g², so w −= α·g / (√0.1·|g| + ε) = α·sign(g)·3.16227766.
        var p = new Parameter("w", new Matrix(1, 1, [1f]));
        p.Gradient.Data[0] = 0.5f;
        new RmsProp([p], 0.1f).Step();
        Assert.Equal(1 - 0.1 * Math.Sqrt(10), p.Value.Data[0], 6);

        const double lr = 0.01,
            rho = 0.9,
            eps = 1e-8;
        double[] w = (double[])Start.Clone(),
            s = new double[3];
        for (int t = 0; t < 3; t++)
        {
            for (int i = 0; i < 3; i++)
            {
                double g = Gradients[t][i];
                s[i] = rho * s[i] + (1 - rho) * g * g;
                w[i] -= lr * g / (Math.Sqrt(s[i]) + eps);
            }
        }
        AssertClose(w, Run(q => new RmsProp([q], (float)lr), 3));
    }

    [Fact]
    public void AdamByHandAndOverThreeSteps()
    {
        // First step: m̂ = g, v̂ = g², so w −= α·g / (|g| + ε) ≈ α·sign(g).
        var p = new Parameter("w", new Matrix(1, 1, [1f]));
        p.Gradient.Data[0] = 0.5f;
        new Adam([p], 0.1f).Step();
        Assert.Equal(0.9, p.Value.Data[0], 6);

        const double lr = 0.01,
            b1 = 0.9,
            b2 = 0.999,
            eps = 1e-8;
        double[] w = (double[])Start.Clone(),
            m = new double[3],
            v = new double[3];
        for (int t = 1; t <= 3; t++)
        {
            for (int i = 0; i < 3; i++)
            {
                double g = Gradients[t - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                w[i] -= lr * (m[i] / (1 - Math.Pow(b1, t))) / (Math.Sqrt(v[i] / (1 - Math.Pow(b2, t))) + eps);
            }
        }
        // A zero gradient (element 1, step 2) still moves w through m: tolerance for float state.
        AssertClose(w, Run(q => new Adam([q], (float)lr), 3), 2e-6);
    }

    [Fact]
    public void WeightDecayAddsLambdaTimesW()
    {
        // g_eff = g + 0.1·w: 0.1 + 0.1, −0.2 − 0.2, 0.3 + 0.05; then w − 0.5·g_eff.
        AssertClose([1 - 0.5 * 0.2, -2 + 0.5 * 0.4, 0.5 - 0.5 * 0.35], Run(p => new Sgd([p], 0.5f, weightDecay: 0.1f), 1));
    }

    [Fact]
    public void ClippingRunsBeforeTheUpdate()
    {
        var p = new Parameter("w", new Matrix(1, 2, [0f, 0f]));
        var opt = new Sgd([p], 1f) { Clipping = new ByGlobalNorm(1) };
        p.Gradient.Data[0] = 3;
        p.Gradient.Data[1] = 4;
        opt.Step();
        Assert.Equal(new float[] { -0.6f, -0.8f }, p.Value.Data);
    }

    [Fact]
    public void LearningRateAndHyperparametersAreValidated()
    {
        Parameter p = MakeParameter();
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], 0.1f, momentum: 1f));
        Assert.Throws<ArgumentException>(() => new Sgd([p], 0.1f, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp([p], 0.1f, rho: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], 0.1f, beta2: -0.1f));
    }

    [Fact]
    public void ZeroGradientsClearsEveryParameter()
    {
        Parameter a = MakeParameter(),
            b = MakeParameter();
        a.Gradient.Fill(1);
        b.Gradient.Fill(2);
        var opt = new Adam([a, b], 0.1f);
        opt.ZeroGradients();
        Assert.All(a.Gradient.Data.Concat(b.Gradient.Data), v => Assert.Equal(0f, v));
        Assert.Equal(0, opt.StepCount);
    }
}

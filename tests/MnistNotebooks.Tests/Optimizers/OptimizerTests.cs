using System.Numerics;
using MnistNotebooks.Layers;
using MnistNotebooks.Optimizers;
using MnistNotebooks.Tests.Kernels;

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

    public static TheoryData<int> Widths => [.. KernelTestData.Widths];

    private static Parameter<T> MakeParameter<T>(params double[] values)
        where T : unmanaged, IFloatingPointIeee754<T> => new("p", new Matrix<T>(1, values.Length, [.. values.Select(T.CreateTruncating)]));

    /// <summary>Runs the optimizer for each gradient in <see cref="Gradients"/>.</summary>
    private static T[] Run<T>(Func<Parameter<T>, Optimizer<T>> make, int steps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Parameter<T> p = MakeParameter<T>(Start);
        Optimizer<T> opt = make(p);
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < 3; i++)
            {
                p.Gradient.Data[i] = T.CreateTruncating(Gradients[t][i]);
            }
            opt.Step();
        }
        return p.Value.Data;
    }

    private static void AssertClose<T>(double[] expected, T[] actual, double tol)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double a = double.CreateTruncating(actual[i]);
            Assert.True(Math.Abs(expected[i] - a) <= tol, $"{typeof(T).Name} element {i}: expected {expected[i]:G17} but got {a:G17}");
        }
    }

    [Fact]
    public void SgdByHand()
    {
        // w − α·g twice, α = 0.1: 1 − 0.01 − 0.04 = 0.95; −2 + 0.02 − 0 = −1.98; 0.5 − 0.03 + 0.05 = 0.52.
        AssertClose([0.95, -1.98, 0.52], Run<float>(p => new Sgd([p], 0.1), 2), 1e-6);
        AssertClose([0.95, -1.98, 0.52], Run<double>(p => new Sgd<double>([p], 0.1), 2), 1e-15);
    }

    [Fact]
    public void MomentumAndNesterovByHand()
    {
        // One scalar, g = 1 both steps, α = 0.1, μ = 0.9. Momentum: v = 1, w = 0.9; v = 1.9, w = 0.71.
        // Nesterov: v = 1, w = 1 − 0.1·(1 + 0.9) = 0.81; v = 1.9, w = 0.81 − 0.1·(1 + 1.71) = 0.539.
        foreach ((bool nesterov, double expected) in new[] { (false, 0.71), (true, 0.539) })
        {
            Parameter<double> p = MakeParameter<double>(1);
            var opt = new Sgd<double>([p], 0.1, momentum: 0.9, nesterov: nesterov);
            for (int t = 0; t < 2; t++)
            {
                p.Gradient.Data[0] = 1;
                opt.Step();
            }
            Assert.Equal(expected, p.Value.Data[0], 14);
        }
    }

    [Fact]
    public void OptimizersMatchADoubleReferenceOverThreeSteps()
    {
        const double lr = 0.05,
            mu = 0.8,
            rho = 0.9,
            b1 = 0.9,
            b2 = 0.999,
            eps = 1e-8,
            lambda = 0.1;
        foreach (bool nesterov in new[] { false, true })
        {
            double[] expected = Reference(
                (w, g, s, _, _) =>
                {
                    s[0] = mu * s[0] + g;
                    return w - lr * (nesterov ? g + mu * s[0] : s[0]);
                }
            );
            AssertClose(expected, Run<double>(p => new Sgd<double>([p], lr, mu, nesterov), 3), 1e-15);
            AssertClose(expected, Run<float>(p => new Sgd([p], lr, mu, nesterov), 3), 1e-6);
        }
        double[] rms = Reference(
            (w, g, s, _, _) =>
            {
                s[0] = rho * s[0] + (1 - rho) * g * g;
                return w - lr * g / (Math.Sqrt(s[0]) + eps);
            }
        );
        AssertClose(rms, Run<double>(p => new RmsProp<double>([p], lr), 3), 1e-15);
        AssertClose(rms, Run<float>(p => new RmsProp([p], lr), 3), 2e-6);
        Func<double, double, double[], double[], int, double> adam = (w, g, m, v, t) =>
        {
            m[0] = b1 * m[0] + (1 - b1) * g;
            v[0] = b2 * v[0] + (1 - b2) * g * g;
            return w - lr * (m[0] / (1 - Math.Pow(b1, t))) / (Math.Sqrt(v[0] / (1 - Math.Pow(b2, t))) + eps);
        };
        double[] adamExpected = Reference((w, g, m, v, t) => adam(w, g, m, v, t));
        AssertClose(adamExpected, Run<double>(p => new Adam<double>([p], lr), 3), 1e-15);
        // A zero gradient (element 1, step 2) still moves w through m: tolerance for float state.
        AssertClose(adamExpected, Run<float>(p => new Adam([p], lr), 3), 2e-6);
        // L2 in Adam adds λ·w to g; AdamW shrinks w by (1 − α·λ) first and then takes the Adam step on g alone.
        AssertClose(
            Reference((w, g, m, v, t) => adam(w, g + lambda * w, m, v, t)),
            Run<double>(p => new Adam<double>([p], lr, weightDecay: lambda), 3),
            1e-15
        );
        AssertClose(
            Reference((w, g, m, v, t) => adam(w * (1 - lr * lambda), g, m, v, t)),
            Run<double>(p => new AdamW<double>([p], lr, lambda), 3),
            1e-15
        );
    }

    /// <summary>Every update rule's vector paths, at every width and every remainder, over two steps, equal a scalar loop
    /// written here in T with the same operations in the same order: each dropped or misplaced state store fails.</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void VectorPathsEqualScalarRulesAtEveryWidthAndLength(int bits)
    {
        using var _ = new ForcedWidth(bits);
        VectorPaths<float>();
        VectorPaths<double>();
    }

    private static void VectorPaths<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T C(double v) => T.CreateTruncating(v);
        T lr = C(0.01),
            mu = C(0.9),
            rho = C(0.9),
            rhoC = C(1 - 0.9),
            eps = C(1e-8),
            lambda = C(0.01);
        var rules = new (string Name, Func<Parameter<T>, Optimizer<T>> Make, Func<T, T, T[], int, int, T> Rule)[]
        {
            ("Sgd", p => new Sgd<T>([p], 0.01), (w, g, s, i, t) => w + (-lr * g)),
            ("Sgd+L2", p => new Sgd<T>([p], 0.01, weightDecay: 0.01), (w, g, s, i, t) => w + (-lr * (g + lambda * w))),
            (
                "Momentum",
                p => new Sgd<T>([p], 0.01, momentum: 0.9),
                (w, g, s, i, t) =>
                {
                    s[i] = mu * s[i] + g;
                    return w - lr * s[i];
                }
            ),
            (
                "Nesterov",
                p => new Sgd<T>([p], 0.01, momentum: 0.9, nesterov: true),
                (w, g, s, i, t) =>
                {
                    s[i] = mu * s[i] + g;
                    return w - lr * (g + mu * s[i]);
                }
            ),
            (
                "RmsProp",
                p => new RmsProp<T>([p], 0.01),
                (w, g, s, i, t) =>
                {
                    s[i] = rho * s[i] + rhoC * g * g;
                    return w - lr * g / (T.Sqrt(s[i]) + eps);
                }
            ),
            ("Adam", p => new Adam<T>([p], 0.01), (w, g, s, i, t) => AdamRule(w, g, s, i, t)),
            ("AdamW", p => new AdamW<T>([p], 0.01, 0.01), (w, g, s, i, t) => AdamRule(w * C(1 - 0.01 * 0.01), g, s, i, t)),
        };
        foreach (int n in ElementWiseTests.Lengths.Where(n => n > 0 && n < 1000))
        {
            foreach (var (name, make, rule) in rules)
            {
                T[] start = KernelTestData.RandomArray<T>(n, seed: n);
                var p = new Parameter<T>("w", new Matrix<T>(1, n, (T[])start.Clone()));
                Optimizer<T> opt = make(p);
                T[] w = (T[])start.Clone(),
                    state = new T[2 * n];
                for (int t = 1; t <= 2; t++)
                {
                    T[] g = KernelTestData.RandomArray<T>(n, seed: 1000 * t + n);
                    g.CopyTo(p.Gradient.Data, 0);
                    opt.Step();
                    for (int i = 0; i < n; i++)
                    {
                        w[i] = rule(w[i], g[i], state, i, t);
                    }
                }
                Assert.True(
                    w.AsSpan().SequenceEqual(p.Value.Data),
                    $"{typeof(T).Name} {name} n={n}: vector path differs from the scalar rule"
                );
            }
        }
    }

    /// <summary>Adam at lr 0.01 and PyTorch's defaults as a scalar loop in T, dividing by both bias corrections at every
    /// step t: m is s[i], v is s[n + i] for a state s of length 2n.</summary>
    private static T AdamRule<T>(T w, T g, T[] s, int i, int t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T C(double v) => T.CreateTruncating(v);
        int n = s.Length / 2;
        s[i] = C(0.9) * s[i] + C(1 - 0.9) * g;
        s[n + i] = C(0.999) * s[n + i] + C(1 - 0.999) * g * g;
        return w - C(0.01) * (s[i] / C(1 - Math.Pow(0.9, t))) / (T.Sqrt(s[n + i] / C(1 - Math.Pow(0.999, t))) + C(1e-8));
    }

    /// <summary>Past step 165 in float (355 in double) 1 − β₁ᵗ rounds to exactly 1 and Adam skips its division by it:
    /// 400 steps at every width still equal, bit for bit, the rule that divides at every step.</summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void AdamEqualsTheDividingRuleOnceItsMeanCorrectionIsOne(int bits)
    {
        using var _ = new ForcedWidth(bits);
        AdamOverManySteps<float>();
        AdamOverManySteps<double>();
    }

    private static void AdamOverManySteps<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T C(double v) => T.CreateTruncating(v);
        const int n = 37,
            steps = 400;
        Assert.Equal(T.One, C(1 - Math.Pow(0.9, steps))); // the skip is taken by the last steps
        T[] w = KernelTestData.RandomArray<T>(n, seed: 5),
            state = new T[2 * n];
        var p = new Parameter<T>("w", new Matrix<T>(1, n, (T[])w.Clone()));
        var adam = new Adam<T>([p], 0.01);
        for (int t = 1; t <= steps; t++)
        {
            T[] g = KernelTestData.RandomArray<T>(n, seed: t);
            g.CopyTo(p.Gradient.Data, 0);
            adam.Step();
            for (int i = 0; i < n; i++)
            {
                w[i] = AdamRule(w[i], g[i], state, i, t);
            }
            Assert.True(w.AsSpan().SequenceEqual(p.Value.Data), $"{typeof(T).Name} step {t}: differs from the dividing rule");
        }
    }

    /// <summary>Three steps of a per-element rule in double over <see cref="Start"/> and <see cref="Gradients"/>.</summary>
    private static double[] Reference(Func<double, double, double[], double[], int, double> rule)
    {
        double[] w = (double[])Start.Clone();
        var s = new double[3][];
        var v = new double[3][];
        for (int i = 0; i < 3; i++)
        {
            (s[i], v[i]) = (new double[1], new double[1]);
        }
        for (int t = 1; t <= 3; t++)
        {
            for (int i = 0; i < 3; i++)
            {
                w[i] = rule(w[i], Gradients[t - 1][i], s[i], v[i], t);
            }
        }
        return w;
    }

    [Fact]
    public void RmsPropAndAdamFirstStepsByHand()
    {
        // RMSprop's first step: s = 0.1·g², so w −= α·g / (√0.1·|g| + ε) = α·sign(g)·√10.
        Parameter<double> p = MakeParameter<double>(1);
        p.Gradient.Data[0] = 0.5;
        new RmsProp<double>([p], 0.1).Step();
        Assert.Equal(1 - 0.1 * Math.Sqrt(10), p.Value.Data[0], 6);
        // Adam's first step: m̂ = g, v̂ = g², so w −= α·g / (|g| + ε) ≈ α·sign(g).
        Parameter<float> q = MakeParameter<float>(1);
        q.Gradient.Data[0] = 0.5f;
        new Adam([q], 0.1).Step();
        Assert.Equal(0.9, q.Value.Data[0], 6);
    }

    [Fact]
    public void ClippingRunsBeforeTheUpdate()
    {
        Parameter<float> p = MakeParameter<float>(0, 0);
        var opt = new Sgd([p], 1) { Clipping = new ByGlobalNorm(1) };
        p.Gradient.Data[0] = 3;
        p.Gradient.Data[1] = 4;
        opt.Step();
        Assert.Equal(new float[] { -0.6f, -0.8f }, p.Value.Data);
    }

    [Fact]
    public void LearningRateAndHyperparametersAreValidated()
    {
        Parameter<float> p = MakeParameter<float>(Start);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], 0.1, momentum: 1));
        Assert.Throws<ArgumentException>(() => new Sgd([p], 0.1, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp([p], 0.1, rho: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp([p], 0.1, epsilon: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], 0.1, beta1: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], 0.1, beta2: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], 0.1, epsilon: double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW([p], 0.1, weightDecay: -1));
        Assert.Throws<ArgumentException>(() => new Sgd(Array.Empty<Parameter<float>>(), 0.1));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], 0.1, beta1: 1));
        Assert.Contains("Expected beta1 in [0, 1)", ex.Message);
        var sgd = new Sgd([p], 0.1);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = -1);
    }

    [Fact]
    public void HyperparametersAreCheckedByNameWithTheirBounds()
    {
        Parameter<double> p = MakeParameter<double>(1);
        void Rejects(string name, Action make, string? expected = null)
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(make);
            Assert.Equal(name, ex.ParamName);
            if (expected is not null)
            {
                Assert.StartsWith($"Expected {name} {expected}", ex.Message);
            }
        }
        foreach (double bad in new[] { 0, -1, double.NaN, double.PositiveInfinity })
        {
            Rejects("LearningRate", () => new Sgd<double>([p], bad));
            var lr = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<double>([p], bad));
            Assert.StartsWith("The learning rate must be finite and > 0", lr.Message);
        }
        foreach (double bad in new[] { -0.1, 1, 1.5, double.NaN })
        {
            Rejects("momentum", () => new Sgd<double>([p], 0.1, momentum: bad), "in [0, 1)");
            Rejects("rho", () => new RmsProp<double>([p], 0.1, rho: bad), "in [0, 1)");
            Rejects("beta1", () => new Adam<double>([p], 0.1, beta1: bad), "in [0, 1)");
            Rejects("beta2", () => new AdamW<double>([p], 0.1, beta2: bad), "in [0, 1)");
        }
        foreach (double bad in new[] { 0, -1e-8, double.NaN, double.PositiveInfinity })
        {
            Rejects("epsilon", () => new RmsProp<double>([p], 0.1, epsilon: bad), "finite and > 0");
            Rejects("epsilon", () => new Adam<double>([p], 0.1, epsilon: bad), "finite and > 0");
        }
        foreach (double bad in new[] { -1e-3, double.NaN, double.PositiveInfinity })
        {
            Rejects("weightDecay", () => new Sgd<double>([p], 0.1, weightDecay: bad));
        }
        var wd = Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp<double>([p], 0.1, weightDecay: -1));
        Assert.Contains("Expected weightDecay ≥ 0 and finite", wd.Message);
        Assert.Equal(-1.0, wd.ActualValue);
        var nesterovEx = Assert.Throws<ArgumentException>(() => new Sgd<double>([p], 0.1, nesterov: true));
        Assert.Equal("nesterov", nesterovEx.ParamName);
        Assert.StartsWith("Nesterov momentum needs a momentum > 0", nesterovEx.Message);
        var none = Assert.Throws<ArgumentException>(() => new Sgd<double>([], 0.1));
        Assert.Equal("parameters", none.ParamName);
        Assert.StartsWith("An optimizer needs at least one parameter", none.Message);
        Assert.Equal("parameters", Assert.Throws<ArgumentNullException>(() => new Sgd<double>(null!, 0.1)).ParamName);

        // The closed lower bounds and values just below the open upper ones are accepted and kept.
        var sgd = new Sgd<double>([p], 1e-300, momentum: 0, weightDecay: 0);
        Assert.Equal((1e-300, 0.0, false, 0.0), (sgd.LearningRate, sgd.Momentum, sgd.Nesterov, sgd.WeightDecay));
        var nesterov = new Sgd<double>([p], 0.1, momentum: 0.999999, nesterov: true, weightDecay: 1e6);
        Assert.Equal((0.999999, true, 1e6), (nesterov.Momentum, nesterov.Nesterov, nesterov.WeightDecay));
        var rms = new RmsProp<double>([p], 0.1, rho: 0, epsilon: double.Epsilon);
        Assert.Equal((0.0, double.Epsilon), (rms.Rho, rms.Epsilon));
        var adam = new Adam<double>([p], 0.1, beta1: 0, beta2: 0.999999, epsilon: 1e300);
        Assert.Equal((0.0, 0.999999, 1e300), (adam.Beta1, adam.Beta2, adam.Epsilon));
        var adamW = new AdamW<double>([p], 0.1);
        Assert.Equal((0.01, 0.9, 0.999, 1e-8), (adamW.WeightDecay, adamW.Beta1, adamW.Beta2, adamW.Epsilon));
        Assert.Same(p, Assert.Single(adamW.Parameters));
        adamW.LearningRate = 0.5;
        Assert.Equal(0.5, adamW.LearningRate);
    }

    [Fact]
    public void StepCountsAndWeightDecayIsAddedToEveryGradient()
    {
        // L2 on two parameters, α = 0.1, λ = 0.5, g = 0: w ← w − α·λ·w = 0.95·w; the gradients hold λ·w afterwards.
        Parameter<double> a = MakeParameter<double>(2),
            b = MakeParameter<double>(-4, 1);
        var sgd = new Sgd<double>([a, b], 0.1, weightDecay: 0.5);
        Assert.Equal(0, sgd.StepCount);
        sgd.Step();
        Assert.Equal(1, sgd.StepCount);
        AssertClose([1.9], a.Value.Data, 1e-15);
        AssertClose([-3.8, 0.95], b.Value.Data, 1e-15);
        Assert.Equal([1.0], a.Gradient.Data);
        Assert.Equal([-2, 0.5], b.Gradient.Data);
        sgd.Step();
        Assert.Equal(2, sgd.StepCount);
        // RMSprop with L2: g = λ·w = 0.5 → s = 0.1·0.25, w ← 1 − α·0.5 / (√0.025 + ε).
        Parameter<double> r = MakeParameter<double>(1);
        new RmsProp<double>([r], 0.1, weightDecay: 0.5).Step();
        Assert.Equal(1 - 0.1 * 0.5 / (Math.Sqrt(0.025) + 1e-8), r.Value.Data[0], 14);
        // AdamW decays the weights themselves and leaves g alone; its first step is then w·(1 − α·λ) − α·sign(g)·(|g|/(|g| + ε)).
        Parameter<double> w = MakeParameter<double>(1, 1);
        w.Gradient.Data[0] = 0.5;
        new AdamW<double>([w], 0.1, weightDecay: 0.5).Step();
        Assert.Equal([0.5, 0], w.Gradient.Data);
        Assert.Equal(1 * (1 - 0.05) - 0.1 * 0.5 / (0.5 + 1e-8), w.Value.Data[0], 14);
        Assert.Equal(0.95, w.Value.Data[1], 15);
    }

    [Fact]
    public void ByValueClippingRunsAfterWeightDecay()
    {
        // g = 0 + λ·w = 10·1 = 10, clipped to 1: w ← 1 − 0.1·1.
        Parameter<double> p = MakeParameter<double>(1);
        new Sgd<double>([p], 0.1, weightDecay: 10) { Clipping = new ByValue(1) }.Step();
        Assert.Equal(0.9, p.Value.Data[0], 15);
    }

    [Fact]
    public void WithoutWeightDecayStepLeavesTheGradientsAlone()
    {
        // −0 stays −0: no λ·w, not even 0·w, is added to g (nor to a gradient under AdamW's decoupled decay).
        Parameter<double> p = MakeParameter<double>(1);
        p.Gradient.Data[0] = -0.0;
        new Sgd<double>([p], 0.1).Step();
        Assert.True(double.IsNegative(p.Gradient.Data[0]));
        Assert.Equal(1.0, p.Value.Data[0]);
    }
}

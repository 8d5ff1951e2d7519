using MnistNotebooks.Data;
using MnistNotebooks.Diagnostics;
using MnistNotebooks.Doctor;
using MnistNotebooks.Initialization;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Optimizers;
using MnistNotebooks.Randomness;
using MnistNotebooks.Tests.Data;
using MnistNotebooks.Training;
using static MnistNotebooks.Tests.Doctor.Numpy;

namespace MnistNotebooks.Tests.Doctor;

/// <summary>The five questions' training loops as their chapters reproduce them, each in float64 with numpy's
/// RandomState seeded as the question (0; question 002: 1), handed to the doctor as a learner would: their own
/// functions, reading the parameters from the set they are given. Each has its chapter's fixed version.</summary>
internal static class QuestionSetups
{
    private static readonly Lazy<MnistData> Loaded = new(() => Mnist.Load(RealData.Directory()));

    /// <summary>Real MNIST, loaded once for every test of this folder.</summary>
    public static MnistData Digits => Loaded.Value;

    // ---------------------------------------------------------------- 000: raw pixels, a linear model, per-sample SGD

    /// <summary>784 → 10 linear without bias, W = rand(784, 10), α = 1e-5, one sample at a time, squared error
    /// Σ(pred − y)², delta = pred − y, W −= α·outer(x, delta). The first 10,000 training images (of 60,000).</summary>
    public static Patient RawPixels() =>
        Linear(Digits.Train.Take(10_000).RawPixels<double>(), new RandomState(0).Rand(784, 10), alpha: 1e-5);

    /// <summary>The fix: pixels / 255, W ~ N(0, 0.01²), α = 0.001 (α·mean‖x‖² ≈ 0.09), one update per sample.</summary>
    public static Patient RawPixelsFixed() =>
        Linear(
            Digits.Train.Take(10_000).ScaledPixels<double>(),
            new Normal(0.01).Create<double>(784, 10, new RandomState(0)),
            alpha: 1e-3
        ) with
        {
            Name = "question 000 fixed: scaled inputs, α = 0.001",
        };

    private static Patient Linear(Matrix<double> x, Matrix<double> w, double alpha)
    {
        int[] labels = Digits.Train.Labels[..x.Rows];
        return new Patient
        {
            Name = "question 000: linear, per-sample",
            Inputs = x,
            Labels = labels,
            Parameters = new ParameterSet { ["weights"] = w },
            Outputs = (p, xb) => xb.Dot(p["weights"]),
            OutputKind = OutputKind.Scores,
            Cost = (p, xb, yb) => Sum((xb.Dot(p["weights"]) - OneHot(yb)).Map(d => d * d)) / xb.Rows,
            Step = (p, xb, yb) =>
            {
                Matrix<double> weights = p["weights"];
                Matrix<double> y = OneHot(yb);
                for (int i = 0; i < xb.Rows; i++)
                {
                    Matrix<double> xi = xb.SliceRows(i, 1);
                    Matrix<double> delta = xi.Dot(weights) - y.SliceRows(i, 1);
                    weights = weights - alpha * Matrix<double>.Outer(xi.Row(0), delta.Row(0));
                }
                return new ParameterSet { ["weights"] = weights };
            },
            BatchSize = 1,
        };
    }

    // ---------------------------------------------------------------- 001: no learning rate, dead sigmoids

    /// <summary>784-16-10 sigmoid without biases, weights 2·random − 1, inputs x_test / 256, full batch of 10,000,
    /// `weights += w` with the backprop of ½Σ(out − y)² summed over the batch and no learning rate.</summary>
    public static Patient DeadSigmoids() => DeadSigmoidsWithStep(+1);

    /// <summary>The answer's advice taken literally: `weights -= 0.001·w` (w is already −∇: this climbs).</summary>
    public static Patient DeadSigmoidsAnswer() => DeadSigmoidsWithStep(-0.001);

    private static Patient DeadSigmoidsWithStep(double rate)
    {
        var rng = new RandomState(0);
        Matrix<double> w1 = 2 * rng.Random(784, 16) - 1;
        Matrix<double> w2 = 2 * rng.Random(16, 10) - 1;
        MnistSet test = Digits.Test;
        (Matrix<double> Hidden, Matrix<double> Out) Forward(ParameterSet p, Matrix<double> x)
        {
            Matrix<double> hidden = Sigmoid(x.Dot(p["weights1"]));
            return (hidden, Sigmoid(hidden.Dot(p["weights2"])));
        }
        return new Patient
        {
            Name = rate == 1 ? "question 001: weights += w" : "question 001, the answer: weights -= 0.001·w",
            Inputs = test.Pixels<double>(256),
            Labels = test.Labels,
            Parameters = new ParameterSet { ["weights1"] = w1, ["weights2"] = w2 },
            Outputs = (p, x) => Forward(p, x).Out,
            OutputKind = OutputKind.Scores,
            Activations = (p, x) => [new Activation("trained_hidden", Forward(p, x).Hidden, ActivationKind.Sigmoid)],
            Cost = (p, x, y) => 0.5 * Sum((Forward(p, x).Out - OneHot(y)).Map(d => d * d)) / x.Rows,
            Step = (p, x, y) =>
            {
                (Matrix<double> hidden, Matrix<double> output) = Forward(p, x);
                Matrix<double> oError = OneHot(y) - output;
                Matrix<double> oAdjustments = oError * (output * (1 - output));
                Matrix<double> hError = oAdjustments.Dot(p["weights2"].Transpose());
                Matrix<double> hAdjustments = hError * (hidden * (1 - hidden));
                Matrix<double> dw1 = x.Transpose().Dot(hAdjustments);
                Matrix<double> dw2 = hidden.Transpose().Dot(oAdjustments);
                return new ParameterSet { ["weights1"] = p["weights1"] + rate * dw1, ["weights2"] = p["weights2"] + rate * dw2 };
            },
            BatchSize = Patient.FullBatch,
        };
    }

    /// <summary>The chapter's fix: 784-16-10 sigmoid with biases, Xavier, mean squared error, Sgd lr 1 on the mean
    /// gradient, mini-batches of 32 (through the library).</summary>
    public static Patient DeadSigmoidsFixed()
    {
        var rng = new RandomState(0);
        var model = new Sequential<double>(
            new Dense<double>(784, 16, rng, new XavierUniform()),
            new Sigmoid<double>(),
            new Dense<double>(16, 10, rng, new XavierUniform()),
            new Sigmoid<double>()
        );
        var trainer = new Trainer<double>(
            model,
            new MeanSquaredError<double>(),
            new Sgd<double>(model.Parameters, 1.0),
            new TrainerOptions { BatchSize = 32 }
        );
        return LibraryPatient.From(trainer, Digits.Train.Take(10_000).ScaledPixels<double>(), Digits.Train.Labels[..10_000]) with
        {
            Name = "question 001 fixed: Xavier, mean squared error, Sgd lr 1, batch 32",
        };
    }

    // ---------------------------------------------------------------- 002: softmax overflow and log(0)

    /// <summary>784-512-256-128-64-10 ReLU (clipped at ±500 as the question's relu), He init randn·√(2/fan_in) with
    /// zero biases (RandomState(1)), columns are samples, naive softmax over axis 0 and cost −Σ y·log(a) / m; the
    /// chapter's completion of the backward pass: dZ = a − y summed over the batch (no 1/m), lr 0.01, full batch.
    /// On the first 10,000 scaled training images, as the chapter.</summary>
    public static Patient SoftmaxOverflow()
    {
        var rng = new RandomState(1);
        int[] dims = [784, 512, 256, 128, 64, 10];
        var parameters = new ParameterSet();
        for (int i = 1; i < dims.Length; i++)
        {
            parameters["w" + i] = rng.Randn(dims[i], dims[i - 1]) * Math.Sqrt(2.0 / dims[i - 1]);
            parameters["b" + i] = new Matrix<double>(dims[i], 1);
        }
        const double LearningRate = 0.01;
        MnistSet train = Digits.Train.Take(10_000);
        List<Matrix<double>> Forward(ParameterSet p, Matrix<double> x, List<Matrix<double>>? zs = null)
        {
            var a = new List<Matrix<double>> { x.Transpose() }; // (features, samples), as the question's code
            for (int i = 1; i < dims.Length; i++)
            {
                Matrix<double> z = p["w" + i].Dot(a[^1]) + p["b" + i];
                zs?.Add(z);
                a.Add(i < dims.Length - 1 ? Relu(z.Clip(-500, 500)) : z.Exp() / z.Exp().Sum(axis: 0));
            }
            return a;
        }
        ParameterSet Backward(ParameterSet p, Matrix<double> x, int[] y)
        {
            var zs = new List<Matrix<double>>();
            List<Matrix<double>> a = Forward(p, x, zs);
            var g = new ParameterSet();
            Matrix<double> dz = a[^1] - OneHot(y).Transpose(); // summed over the batch: no 1/m
            for (int i = dims.Length - 1; i >= 1; i--)
            {
                g["w" + i] = dz.Dot(a[i - 1].Transpose());
                g["b" + i] = dz.Sum(axis: 1);
                if (i > 1)
                {
                    dz = p["w" + i].Transpose().Dot(dz) * (zs[i - 2] > 0);
                }
            }
            return g;
        }
        return new Patient
        {
            Name = "question 002: naive softmax, summed gradient",
            Inputs = train.ScaledPixels<double>(),
            Labels = train.Labels,
            Parameters = parameters,
            Outputs = (p, x) => Forward(p, x)[^1].Transpose(),
            OutputKind = OutputKind.Probabilities,
            Logits = (p, x) =>
            {
                var zs = new List<Matrix<double>>();
                Forward(p, x, zs);
                return zs[^1].Transpose();
            },
            Activations = (p, x) =>
            {
                List<Matrix<double>> a = Forward(p, x);
                return [.. Enumerable.Range(1, 4).Select(i => new Activation("a" + i, a[i].Transpose(), ActivationKind.Relu))];
            },
            Cost = (p, x, y) =>
            {
                Matrix<double> aL = Forward(p, x)[^1];
                Matrix<double> loss = (-OneHot(y).Transpose() * aL.Log()).Sum(axis: 0);
                return loss.Sum() / x.Rows;
            },
            Gradients = Backward,
            Step = (p, x, y) =>
            {
                ParameterSet g = Backward(p, x, y);
                var next = new ParameterSet();
                foreach ((string name, Matrix<double> value) in p)
                {
                    next[name] = value - LearningRate * g[name];
                }
                return next;
            },
            BatchSize = Patient.FullBatch,
        };
    }

    /// <summary>The chapter's fix: the same ReLU body with He init and an N(0, 0.01²) output layer, the fused stable
    /// SoftmaxCrossEntropy (mean over the batch), Sgd lr 0.01 momentum 0.9, batches of 64, scaled inputs.</summary>
    public static Patient SoftmaxOverflowFixed()
    {
        var rng = new RandomState(1);
        int[] dims = [784, 512, 256, 128, 64, 10];
        var layers = new List<Layer<double>>();
        for (int i = 0; i < 5; i++)
        {
            layers.Add(new Dense<double>(dims[i], dims[i + 1], rng, i == 4 ? new Normal(0.01) : new He()));
            if (i < 4)
            {
                layers.Add(new Relu<double>());
            }
        }
        var model = new Sequential<double>([.. layers]);
        var trainer = new Trainer<double>(
            model,
            new SoftmaxCrossEntropy<double>(),
            new Sgd<double>(model.Parameters, 0.01, momentum: 0.9),
            new TrainerOptions { BatchSize = 64, Seed = 1 }
        );
        return LibraryPatient.From(trainer, Digits.Train.Take(10_000).ScaledPixels<double>(), Digits.Train.Labels[..10_000]) with
        {
            Name = "question 002 fixed: stable fused softmax cross-entropy, mean gradient, batch 64",
        };
    }

    // ---------------------------------------------------------------- 003: the softmax over the wrong axis

    /// <summary>784-20-10 ReLU, weights and biases rand − 0.5 (w1, b1, w2, b2), the first 42,000 training images / 255,
    /// `np.exp(z) / sum(np.exp(z))` (Python's sum adds the rows: over the samples), the question's backprop with 1/m of
    /// the whole set, α = 0.01, full batch.</summary>
    public static Patient WrongAxis() => TwoLayerRelu(overSamples: true);

    /// <summary>The fix: the softmax over the classes of each sample (max subtracted), all else the same.</summary>
    public static Patient WrongAxisFixed() => TwoLayerRelu(overSamples: false);

    private static Patient TwoLayerRelu(bool overSamples)
    {
        var rng = new RandomState(0);
        var parameters = new ParameterSet
        {
            ["w1"] = rng.Rand(784, 20) - 0.5,
            ["b1"] = rng.Rand(1, 20) - 0.5,
            ["w2"] = rng.Rand(20, 10) - 0.5,
            ["b2"] = rng.Rand(1, 10) - 0.5,
        };
        MnistSet train = Digits.Train.Take(42_000);
        int m = train.Count;
        const double Alpha = 0.01;
        Matrix<double> Softmax(Matrix<double> z) =>
            overSamples ? z.Exp() / z.Exp().Sum(axis: 0) : (z - z.Max(axis: 1)).Exp() / (z - z.Max(axis: 1)).Exp().Sum(axis: 1);
        (Matrix<double> Z1, Matrix<double> A1, Matrix<double> Z2, Matrix<double> A2) Forward(ParameterSet p, Matrix<double> a0)
        {
            Matrix<double> z1 = a0.Dot(p["w1"]) + p["b1"];
            Matrix<double> a1 = Relu(z1);
            Matrix<double> z2 = a1.Dot(p["w2"]) + p["b2"];
            return (z1, a1, z2, Softmax(z2));
        }
        ParameterSet Backprop(ParameterSet p, Matrix<double> x, int[] y)
        {
            (Matrix<double> z1, Matrix<double> a1, _, Matrix<double> a2) = Forward(p, x);
            Matrix<double> dadc = a2 - OneHot(y);
            Matrix<double> hidden = p["w2"].Dot(dadc.Transpose()).Transpose() * (z1 > 0);
            return new ParameterSet
            {
                ["w1"] = 1.0 / m * x.Transpose().Dot(hidden),
                ["b1"] = 1.0 / m * hidden.Sum(axis: 0),
                ["w2"] = 1.0 / m * a1.Transpose().Dot(dadc),
                ["b2"] = 1.0 / m * dadc.Sum(axis: 0),
            };
        }
        return new Patient
        {
            Name = overSamples ? "question 003: softmax over the samples" : "question 003 fixed: softmax over the classes",
            Inputs = train.ScaledPixels<double>(),
            Labels = train.Labels,
            Parameters = parameters,
            Outputs = (p, x) => Forward(p, x).A2,
            OutputKind = OutputKind.Probabilities,
            Logits = (p, x) => Forward(p, x).Z2,
            Activations = (p, x) => [new Activation("a1", Forward(p, x).A1, ActivationKind.Relu)],
            // The question has no cost function; its gradient is that of the cross-entropy summed and divided by m.
            Cost = (p, x, y) => MeanCrossEntropy(Forward(p, x).A2, y, m),
            Gradients = Backprop,
            Step = (p, x, y) =>
            {
                ParameterSet g = Backprop(p, x, y);
                return new ParameterSet
                {
                    ["w1"] = p["w1"] - Alpha * g["w1"],
                    ["b1"] = p["b1"] - Alpha * g["b1"],
                    ["w2"] = p["w2"] - Alpha * g["w2"],
                    ["b2"] = p["b2"] - Alpha * g["b2"],
                };
            },
            BatchSize = Patient.FullBatch,
        };
    }

    // ---------------------------------------------------------------- 004: the wrong hand-written gradient

    /// <summary>784-300-10 sigmoid with biases (Xavier-uniform weights, biases U(−0.1, 0.1), drawn W1, b1, W2, b2),
    /// cost ½Σ(out − y)²/n + ½λΣw² over every parameter, the question's backprop (σ' missing in three places, 2λW),
    /// λ = 0.001, RMSprop lr 0.001, batches of 100; the first 10,000 scaled training images.</summary>
    public static Patient WrongGradient() => Sigmoid300(correct: false);

    /// <summary>The fix: the correct backprop of ½Σ(out − y)²/n + ½λΣ(W1² + W2²); all else the same.</summary>
    public static Patient WrongGradientFixed() => Sigmoid300(correct: true);

    private static Patient Sigmoid300(bool correct)
    {
        var rng = new RandomState(0);
        var bias = new UniformRange(-0.1, 0.1);
        var parameters = new ParameterSet
        {
            ["l1.W"] = new XavierUniform().Create<double>(784, 300, rng),
            ["l1.b"] = bias.Create<double>(1, 300, rng),
            ["l2.W"] = new XavierUniform().Create<double>(300, 10, rng),
            ["l2.b"] = bias.Create<double>(1, 10, rng),
        };
        const double Lambda = 0.001;
        MnistSet train = Digits.Train.Take(10_000);
        (Matrix<double> H, Matrix<double> Out) Forward(ParameterSet p, Matrix<double> x)
        {
            Matrix<double> h = Sigmoid(x.Dot(p["l1.W"]) + p["l1.b"]);
            return (h, Sigmoid(h.Dot(p["l2.W"]) + p["l2.b"]));
        }
        double Cost(ParameterSet p, Matrix<double> x, int[] y)
        {
            double data = 0.5 * Sum((Forward(p, x).Out - OneHot(y)).Map(d => d * d)) / x.Rows;
            IEnumerable<string> decayed = correct ? ["l1.W", "l2.W"] : p.Names;
            return data + 0.5 * Lambda * decayed.Sum(n => Sum(p[n] * p[n]));
        }
        ParameterSet Backprop(ParameterSet p, Matrix<double> x, int[] y)
        {
            (Matrix<double> h, Matrix<double> output) = Forward(p, x);
            Matrix<double> dEdy = output - OneHot(y);
            Matrix<double> dzOut = dEdy * (output * (1 - output));
            Matrix<double> gW2 = h.Transpose().Dot(dzOut);
            Matrix<double> gb2,
                gb1,
                dzHidden;
            if (correct)
            {
                gb2 = dzOut.Sum(axis: 0);
                dzHidden = dzOut.Dot(p["l2.W"].Transpose()) * (h * (1 - h));
                gb1 = dzHidden.Sum(axis: 0);
            }
            else
            {
                gb2 = dEdy.Sum(axis: 0); // bl2 += dE_dy: no σ'(out)
                Matrix<double> dEdhl = dEdy.Dot(p["l2.W"].Transpose()); // no σ'(out)
                gb1 = dEdhl.Sum(axis: 0); // no σ'(hidden)
                dzHidden = dEdhl * (h * (1 - h));
            }
            Matrix<double> gW1 = x.Transpose().Dot(dzHidden);
            double decay = correct ? Lambda : 2 * Lambda; // the question's lam·W·2
            int n = x.Rows;
            return new ParameterSet
            {
                ["l1.W"] = gW1 / n + decay * p["l1.W"],
                ["l1.b"] = gb1 / n,
                ["l2.W"] = gW2 / n + decay * p["l2.W"],
                ["l2.b"] = gb2 / n,
            };
        }
        return new Patient
        {
            Name = correct ? "question 004 fixed: correct backprop" : "question 004: the hand-written backprop",
            Inputs = train.ScaledPixels<double>(),
            Labels = train.Labels,
            Parameters = parameters,
            Outputs = (p, x) => Forward(p, x).Out,
            OutputKind = OutputKind.Scores,
            Activations = (p, x) => [new Activation("hidden", Forward(p, x).H, ActivationKind.Sigmoid)],
            Cost = Cost,
            Gradients = Backprop,
            NewStep = () =>
            {
                // RMSprop, lr 0.001, ρ 0.9, ε 1e-8: its running mean of g² is the step's own state.
                var cache = new Dictionary<string, Matrix<double>>();
                return (p, x, y) =>
                {
                    ParameterSet g = Backprop(p, x, y);
                    var next = new ParameterSet();
                    foreach ((string name, Matrix<double> value) in p)
                    {
                        Matrix<double> c = cache.TryGetValue(name, out Matrix<double>? old)
                            ? old
                            : new Matrix<double>(value.Rows, value.Cols);
                        c = 0.9 * c + 0.1 * (g[name] * g[name]);
                        cache[name] = c;
                        next[name] = value - 0.001 * g[name] / (c.Sqrt() + 1e-8);
                    }
                    return next;
                };
            },
            BatchSize = 100,
        };
    }

    // ---------------------------------------------------------------- one more: the softmax applied twice

    /// <summary>A bug no question had, for the doctor's chapter: 784-300-10 ReLU ending in a softmax layer, trained
    /// with SoftmaxCrossEntropy (which applies its own), Adam 1e-3, batches of 128 (PyTorch's CrossEntropyLoss on
    /// softmax outputs is the same mistake).</summary>
    public static Patient SoftmaxTwice()
    {
        var rng = new RandomState(0);
        var model = new Sequential<double>(
            new Dense<double>(784, 300, rng, new He()),
            new Relu<double>(),
            new Dense<double>(300, 10, rng, new Normal(0.01)),
            new MnistNotebooks.Course.NaiveSoftmax<double>()
        );
        var trainer = new Trainer<double>(
            model,
            new SoftmaxCrossEntropy<double>(),
            new Adam<double>(model.Parameters, 1e-3),
            new TrainerOptions { BatchSize = 128 }
        );
        return LibraryPatient.From(trainer, Digits.Train.Take(10_000).ScaledPixels<double>(), Digits.Train.Labels[..10_000]) with
        {
            Name = "one more bug: a softmax layer before SoftmaxCrossEntropy",
        };
    }
}

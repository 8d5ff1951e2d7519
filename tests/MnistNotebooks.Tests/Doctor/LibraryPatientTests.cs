using MnistNotebooks.Course;
using MnistNotebooks.Doctor;
using MnistNotebooks.Initialization;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Optimizers;
using MnistNotebooks.Randomness;
using MnistNotebooks.Training;
using static MnistNotebooks.Tests.Doctor.Synthetic;

namespace MnistNotebooks.Tests.Doctor;

/// <summary>The doctor on library models, and its promise: probes run on copies, the learner's parameters and optimizer
/// are never touched, the learner's matrices are never handed to the learner's functions.</summary>
public sealed class LibraryPatientTests
{
    private static (Sequential Model, Adam Optimizer, Matrix<float> X, int[] Y) SmallNetwork(int seed = 0)
    {
        (Matrix<double> x, int[] y) = Blobs(n: 96, d: 6, seed: seed);
        var rng = new RandomState(seed);
        var model = new Sequential(new Dense(6, 12, rng, new He()), new Relu(), new Dense(12, Classes, rng, new Normal(0.01)));
        return (model, new Adam(model.Parameters, 1e-2), x.Convert<float>(), y);
    }

    [Fact]
    public void TheLearnersModelAndOptimizerAreNeverChanged()
    {
        (Sequential model, Adam adam, Matrix<float> x, int[] y) = SmallNetwork();
        float[][] before = [.. model.Parameters.Select(p => (float[])p.Value.Data.Clone())];
        float[][] gradients = [.. model.Parameters.Select(p => (float[])p.Gradient.Data.Clone())];

        DoctorReport report = TrainingDoctor.Examine(model, new SoftmaxCrossEntropy(), adam, x, y, batchSize: 16);

        Assert.True(report.ProbeSteps > 10, $"the probes took {report.ProbeSteps} updates");
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i], model.Parameters[i].Value.Data); // bit for bit
            Assert.Equal(gradients[i], model.Parameters[i].Gradient.Data);
        }
        Assert.Equal(0, adam.StepCount);
    }

    [Fact]
    public void TheLearnersMatricesAreNeverPassedToTheirFunctionsNorChanged()
    {
        (Matrix<double> x, int[] y) = Blobs();
        ParameterSet learners = Weights(std: 0.3);
        Matrix<double>[] originals = [.. learners.Select(kv => kv.Value)];
        double[][] values = [.. originals.Select(m => (double[])m.Data.Clone())];
        int calls = 0;
        void Seen(ParameterSet p)
        {
            calls++;
            Assert.DoesNotContain(p.Select(kv => kv.Value), m => originals.Any(o => ReferenceEquals(o, m)));
        }
        var patient = new Patient
        {
            Inputs = x,
            Labels = y,
            Parameters = learners,
            Outputs = (p, xb) =>
            {
                Seen(p);
                return Logits(p, xb);
            },
            OutputKind = OutputKind.Logits,
            Cost = (p, xb, yb) =>
            {
                Seen(p);
                return Cost(p, xb, yb);
            },
            Gradients = (p, xb, yb) =>
            {
                Seen(p);
                return Gradient(p, xb, yb);
            },
            // Updates in place, as a learner may: it must only ever receive the doctor's copies.
            Step = (p, xb, yb) =>
            {
                Seen(p);
                ParameterSet g = Gradient(p, xb, yb);
                foreach ((string name, Matrix<double> m) in p)
                {
                    for (int i = 0; i < m.Length; i++)
                    {
                        m.Data[i] -= 0.5 * g[name].Data[i];
                    }
                }
                return p;
            },
            BatchSize = 16,
        };

        DoctorReport report = TrainingDoctor.Examine(patient);

        Assert.True(calls > 50 && report.ProbeSteps >= 5, $"{calls} calls, {report.ProbeSteps} probe updates");
        for (int i = 0; i < originals.Length; i++)
        {
            Assert.Same(originals[i], learners[learners.Names[i]]);
            Assert.Equal(values[i], originals[i].Data);
        }
    }

    [Fact]
    public void EveryLayerKindPassesTheGradientCheck()
    {
        (Matrix<double> x, int[] y) = Blobs(n: 64, d: 6);
        var rng = new RandomState(2);
        var model = new Sequential<double>(
            new Dense<double>(6, 10, rng, new XavierUniform(), new UniformRange(-0.1, 0.1)),
            new Tanh<double>(),
            new Dense<double>(10, 10, rng, new He(), new UniformRange(-0.1, 0.1)),
            new Relu<double>(),
            new Dropout<double>(0.2, seed: 3),
            new Dense<double>(10, 8, rng, new XavierUniform(), new UniformRange(-0.1, 0.1)),
            new Sigmoid<double>(),
            new Dense<double>(8, Classes, rng, new Normal(0.1))
        );
        DoctorReport report = TrainingDoctor.Examine(
            model,
            new SoftmaxCrossEntropy<double>(),
            new Sgd<double>(model.Parameters, 0.1),
            x,
            y,
            16
        );
        Assert.True(report.Measurements["gradientCheck.maxRelative"] < 1e-5, report.ToString());
        Assert.False(report.Has(FindingCodes.GradientCheckFailed));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ANaiveSoftmaxOverflowsInFloat32WhereDoubleDoesNotAndTheLayerIsNamed(bool float32)
    {
        // Logits of about ±100: beyond float's 88.72, far below double's 709.78.
        int[] y = Labels(32);
        var x = new Matrix<double>(32, Classes);
        for (int r = 0; r < 32; r++)
        {
            x[r, y[r]] = 1;
        }
        var w = Matrix<double>.Full(Classes, Classes, -1) * 100;
        for (int c = 0; c < Classes; c++)
        {
            w[c, c] = 100;
        }
        DoctorReport report = float32
            ? Examine(
                new Sequential(new Dense(w.Convert<float>(), null, "logits"), new NaiveSoftmax<float>(name: "softmax")),
                new NaiveCrossEntropy<float>(),
                x.Convert<float>(),
                y
            )
            : Examine(
                new Sequential<double>(new Dense<double>(w, null, "logits"), new NaiveSoftmax<double>(name: "softmax")),
                new NaiveCrossEntropy<double>(),
                x,
                y
            );
        Assert.Equal(float32, report.Has(FindingCodes.SoftmaxOverflow));
        if (float32)
        {
            Assert.Equal(FindingCodes.SoftmaxOverflow, report.Top!.Code);
            Assert.Equal(Severity.Error, report.Top.Severity);
            Assert.StartsWith("A NaN or ∞ first appears in forward of 'softmax' (element ", report[FindingCodes.NonFinite]!.Title);
            Assert.Contains("88.72 in float32", report.Top.Evidence);
        }
    }

    private static DoctorReport Examine<T>(Sequential<T> model, ILoss<T> loss, Matrix<T> x, int[] y)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => TrainingDoctor.Examine(model, loss, null, x, y);

    [Fact]
    public void WithoutAnOptimizerTheProbesAreListedAsNotExamined()
    {
        (Sequential model, _, Matrix<float> x, int[] y) = SmallNetwork();
        DoctorReport report = TrainingDoctor.Examine(model, new SoftmaxCrossEntropy(), null, x, y);
        Assert.Equal(0, report.ProbeSteps);
        Assert.Contains(report.NotExamined, n => n.Contains("give Step"));
    }

    [Fact]
    public void ATrainersBatchSizeAndPrecisionAreThePatients()
    {
        (Sequential model, Adam adam, Matrix<float> x, int[] y) = SmallNetwork();
        var trainer = new Trainer(model, new SoftmaxCrossEntropy(), adam, new TrainerOptions { BatchSize = 24 });
        Patient patient = LibraryPatient.From(trainer, x, y);
        Assert.Equal(24, patient.BatchSize);
        Assert.Equal(NumericPrecision.Float32, patient.Precision);
        Assert.Equal(OutputKind.Logits, patient.OutputKind);
        Assert.Equal(["dense1.W", "dense1.b", "dense2.W", "dense2.b"], patient.Parameters.Names);
        var full = new Trainer(model, new SoftmaxCrossEntropy(), adam, new TrainerOptions { BatchSize = TrainerOptions.FullBatch });
        Assert.Equal(Patient.FullBatch, LibraryPatient.From(full, x, y).BatchSize);
    }

    [Fact]
    public void ASoftmaxLayerBeforeSoftmaxCrossEntropyIsTheSoftmaxTwice()
    {
        (Matrix<double> x, int[] y) = Blobs(n: 96);
        var rng = new RandomState(0);
        var model = new Sequential<double>(
            new Dense<double>(6, 12, rng, new He()),
            new Relu<double>(),
            new Dense<double>(12, Classes, rng, new XavierUniform()),
            new NaiveSoftmax<double>()
        );
        DoctorReport report = TrainingDoctor.Examine(
            model,
            new SoftmaxCrossEntropy<double>(),
            new Adam<double>(model.Parameters, 1e-2),
            x,
            y,
            16
        );
        Assert.Equal(FindingCodes.SoftmaxTwice, report.Top!.Code);
        Assert.Equal(Chapters.SoftmaxOverflow, report.Top.Chapter);
    }
}

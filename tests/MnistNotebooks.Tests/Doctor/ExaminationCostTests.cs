using System.Diagnostics;
using MnistNotebooks.Doctor;
using MnistNotebooks.Initialization;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Optimizers;
using MnistNotebooks.Randomness;
using MnistNotebooks.Training;
using Xunit.Abstractions;

namespace MnistNotebooks.Tests.Doctor;

/// <summary>What an examination costs on the reference case: a float32 784-300-10 ReLU network with Adam, on
/// all 60,000 training images. The time is printed, not asserted (speed is measured in benchmarks, not unit tests).</summary>
[Collection("Parallelism")]
public sealed class ExaminationCostTests(ITestOutputHelper output)
{
    [Fact]
    public void ExaminingA784x300x10NetworkOn60000ImagesPrintsItsCost()
    {
        var rng = new RandomState(0);
        var model = new Sequential(new Dense(784, 300, rng, new He()), new Relu(), new Dense(300, 10, rng, new Normal(0.01)));
        var trainer = new Trainer(
            model,
            new SoftmaxCrossEntropy(),
            new Adam(model.Parameters, 1e-3),
            new TrainerOptions { BatchSize = 128 }
        );
        Matrix<float> x = QuestionSetups.Digits.Train.ScaledPixels();
        int[] labels = QuestionSetups.Digits.Train.Labels;

        // Twice: the first run includes the JIT compiling the double kernels, as a notebook's first call does.
        for (int run = 1; run <= 2; run++)
        {
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            DoctorReport report = TrainingDoctor.Examine(trainer, x, labels);
            clock.Stop();
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            if (run == 1)
            {
                output.WriteLine(report.ToString());
            }
            output.WriteLine(
                FormattableString.Invariant(
                    $"run {run}: examination of 784-300-10 on {x.Rows:#,0} images: {clock.Elapsed.TotalSeconds:F2} s wall, {cpu.TotalSeconds:F2} s CPU over {Environment.ProcessorCount} cores"
                )
            );
            Assert.Equal(60_000, report.Samples);
            Assert.True(report.Healthy, report.Codes);
        }
    }
}

using MnistNotebooks.Layers;
using MnistNotebooks.Randomness;
using MnistNotebooks.Training;

namespace MnistNotebooks.Tests.Training;

public sealed class TrainerTests
{
    private static (Sequential Model, Trainer Trainer) Make(
        TrainerOptions options,
        int modelSeed = 7,
        float learningRate = 0.5f,
        Layer<float>? middle = null,
        MnistNotebooks.Losses.ILoss<float>? loss = null,
        params ITrainingObserver<float>[] observers
    )
    {
        Sequential model = TestData.Model(modelSeed, middle);
        var trainer = new Trainer(model, loss ?? new TestSoftmaxCrossEntropy(), new TestSgd(model.Parameters, learningRate), options);
        foreach (ITrainingObserver<float> o in observers)
        {
            trainer.Observers.Add(o);
        }
        return (model, trainer);
    }

    private static float[] Weights(Sequential model) => model.Parameters.SelectMany(p => p.Value.Data).ToArray();

    [Fact]
    public void LearnsLinearlySeparableDataTo100Percent()
    {
        (Matrix<float> x, int[] y) = TestData.Separable(200, seed: 1);
        (_, Trainer trainer) = Make(
            new TrainerOptions
            {
                Epochs = 30,
                BatchSize = 16,
                Seed = 3,
            }
        );

        History history = trainer.Fit(x, y);

        Assert.Equal(StopReason.Completed, history.StopReason);
        Assert.Equal(30, history.Epochs.Count);
        Assert.Equal(13, history.StepsPerEpoch); // 12 batches of 16 and one of 8
        Assert.Equal(1.0, history.Last!.TrainAccuracy);
        Assert.True(history.Last.TrainLoss < history.Epochs[0].TrainLoss / 4, history.ToString());
        EvaluationResult<float> eval = trainer.Evaluate(x, y);
        Assert.Equal(1.0, eval.Accuracy);
        Assert.Equal(200, eval.Predictions.Length);
        Assert.Equal((200, 2), (eval.Outputs.Rows, eval.Outputs.Cols));
        Assert.True(eval.Loss < 0.2, eval.ToString());
    }

    [Fact]
    public void SameSeedGivesBitIdenticalWeightsAndHistory()
    {
        (Matrix<float> x, int[] y) = TestData.Separable(100, seed: 2);
        var options = new TrainerOptions
        {
            Epochs = 4,
            BatchSize = 16,
            Seed = 11,
            ValidationFraction = 0.2,
            RecordSteps = true,
        };
        (Sequential m1, Trainer t1) = Make(options);
        (Sequential m2, Trainer t2) = Make(options);

        History h1 = t1.Fit(x, y),
            h2 = t2.Fit(x, y);

        Assert.Equal(Weights(m1), Weights(m2));
        Assert.Equal(h1.Steps, h2.Steps);
        Assert.Equal(h1.ValidationIndices, h2.ValidationIndices);
        for (int e = 0; e < h1.Epochs.Count; e++)
        {
            EpochRecord a = h1.Epochs[e],
                b = h2.Epochs[e];
            Assert.Equal(
                (a.TrainLoss, a.TrainAccuracy, a.ValidationLoss, a.ValidationAccuracy),
                (b.TrainLoss, b.TrainAccuracy, b.ValidationLoss, b.ValidationAccuracy)
            );
            Assert.Equal(a.GradientNorms, b.GradientNorms);
            Assert.Equal(a.UpdateRatios, b.UpdateRatios);
        }
    }

    [Fact]
    public void DifferentSeedGivesDifferentShuffleAndWeights()
    {
        (Matrix<float> x, int[] y) = TestData.Separable(100, seed: 2);
        (Sequential m1, Trainer t1) = Make(
            new TrainerOptions
            {
                Epochs = 2,
                BatchSize = 10,
                Seed = 1,
            }
        );
        (Sequential m2, Trainer t2) = Make(
            new TrainerOptions
            {
                Epochs = 2,
                BatchSize = 10,
                Seed = 2,
            }
        );
        t1.Fit(x, y);
        t2.Fit(x, y);
        Assert.NotEqual(Weights(m1), Weights(m2));
    }

    [Fact]
    public void FullBatchEqualsBatchSizeN()
    {
        (Matrix<float> x, int[] y) = TestData.Separable(60, seed: 4);
        (Sequential m1, Trainer t1) = Make(new TrainerOptions { Epochs = 5, BatchSize = TrainerOptions.FullBatch });
        (Sequential m2, Trainer t2) = Make(new TrainerOptions { Epochs = 5, BatchSize = 60 });

        History h1 = t1.Fit(x, y),
            h2 = t2.Fit(x, y);

        Assert.Equal(Weights(m1), Weights(m2));
        Assert.Equal((60, 1), (h1.BatchSize, h1.StepsPerEpoch));
        Assert.Equal(h1.Epochs.Select(e => e.TrainLoss), h2.Epochs.Select(e => e.TrainLoss));
        Assert.All(h1.Epochs, e => Assert.Equal(1, e.Steps));
    }

    [Fact]
    public void PerStepRecordsCountEveryIteration()
    {
        (Matrix<float> x, int[] y) = TestData.Separable(40, seed: 5);
        (_, Trainer fullBatch) = Make(
            new TrainerOptions
            {
                Epochs = 500,
                BatchSize = TrainerOptions.FullBatch,
                RecordSteps = true,
                TrackUpdateRatios = false,
            }
        );
        History h = fullBatch.Fit(x, y);
        Assert.Equal(500, h.Steps.Count);
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), h.Steps.Select(s => s.GlobalStep));
        Assert.Equal(h.Epochs[0].TrainLoss, h.Steps[0].Loss, 1e-6);

        (_, Trainer miniBatch) = Make(
            new TrainerOptions
            {
                Epochs = 3,
                BatchSize = 16,
                RecordSteps = true,
            }
        );
        h = miniBatch.Fit(x, y); // 16 + 16 + 8
        Assert.Equal(9, h.Steps.Count);
        Assert.Equal([1, 2, 3, 1, 2, 3, 1, 2, 3], h.Steps.Select(s => s.Step));

        (_, Trainer unrecorded) = Make(new TrainerOptions { Epochs = 3, BatchSize = 16 });
        Assert.Empty(unrecorded.Fit(x, y).Steps);
    }

    [Fact]
    public void GradientNormsAndUpdateRatiosAreRecordedPerParameter()
    {
        (Matrix<float> x, int[] y) = TestData.Separable(40, seed: 5);
        (_, Trainer trainer) = Make(new TrainerOptions { Epochs = 2, BatchSize = 8 });
        History h = trainer.Fit(x, y);
        EpochRecord e = h.Epochs[0];
        Assert.Equal(["dense1.W", "dense1.b", "dense2.W", "dense2.b"], e.GradientNorms.Keys);
        Assert.All(e.GradientNorms.Values, v => Assert.True(v > 0 && double.IsFinite(v)));
        Assert.Equal(e.GradientNorms.Keys, e.UpdateRatios.Keys);
        Assert.All(new[] { "dense1.W", "dense2.W" }, k => Assert.InRange(e.UpdateRatios[k], 1e-6, 10));
    }

    [Theory]
    [InlineData(200, 0.2, 40)]
    [InlineData(10, 0.25, 3)] // 2.5 rounds away from zero
    [InlineData(7, 0.5, 4)]
    public void ValidationSplitSizes(int n, double fraction, int expected)
    {
        (Matrix<float> x, int[] y) = TestData.Separable(n, seed: 6);
        (_, Trainer trainer) = Make(
            new TrainerOptions
            {
                Epochs = 1,
                BatchSize = 4,
                ValidationFraction = fraction,
                Seed = 9,
            }
        );

        History h = trainer.Fit(x, y);

        Assert.Equal(expected, h.ValidationCount);
        Assert.Equal(n - expected, h.TrainingCount);
        Assert.Equal(expected, h.ValidationIndices.Distinct().Count());
        Assert.All(h.ValidationIndices, i => Assert.InRange(i, 0, n - 1));
        Assert.True(h.Epochs[0].HasValidation);
        Assert.InRange(h.Epochs[0].ValidationAccuracy, 0, 1);
    }

    [Fact]
    public void ExplicitValidationSetIsEvaluatedEachEpoch()
    {
        (Matrix<float> x, int[] y) = TestData.Separable(60, seed: 7);
        (Matrix<float> vx, int[] vy) = TestData.Separable(25, seed: 8);
        (Sequential model, Trainer trainer) = Make(
            new TrainerOptions
            {
                Epochs = 3,
                BatchSize = 16,
                EvaluationBatchSize = 10,
            }
        );

        History h = trainer.Fit(x, y, vx, vy);

        Assert.Equal((60, 25), (h.TrainingCount, h.ValidationCount));
        Assert.Empty(h.ValidationIndices);
        EvaluationResult<float> direct = Trainer.Evaluate(model, vx, vy, batchSize: 7, loss: new TestSoftmaxCrossEntropy());
        Assert.Equal(direct.Accuracy, h.Last!.ValidationAccuracy);
        Assert.Equal(direct.Loss, h.Last.ValidationLoss, 1e-6);
        Assert.True(double.IsNaN(Trainer.Evaluate(model, vx, vy).Loss));
    }

    [Fact]
    public void EarlyStoppingStopsPatienceEpochsAfterTheBest()
    {
        (Matrix<float> x, int[] y) = TestData.Separable(20, seed: 9);
        (Matrix<float> vx, int[] vy) = TestData.Separable(5, seed: 10);
        var loss = new ScriptedValidationLoss(5, 1.0f, 0.8f, 0.7f, 0.75f, 0.72f, 0.71f, 0.6f, 0.5f);
        (_, Trainer trainer) = Make(
            new TrainerOptions
            {
                Epochs = 8,
                BatchSize = TrainerOptions.FullBatch,
                EarlyStopping = new EarlyStopping(Patience: 2),
            },
            loss: loss
        );

        History h = trainer.Fit(x, y, vx, vy);

        Assert.Equal(StopReason.EarlyStopping, h.StopReason);
        Assert.Equal(5, h.Epochs.Count);
        Assert.Equal((3, 5), (h.BestEpoch, h.StoppedEpoch));
        Assert.Equal(0.7, h.BestValidation!.ValidationLoss, 1e-6);
        Assert.Contains("best 0.7000 at epoch 3", h.StopMessage);
    }

    [Fact]
    public void EarlyStoppingMinDeltaIgnoresTinyImprovements()
    {
        (Matrix<float> x, int[] y) = TestData.Separable(20, seed: 9);
        (Matrix<float> vx, int[] vy) = TestData.Separable(5, seed: 10);
        var loss = new ScriptedValidationLoss(5, 1.0f, 0.95f, 0.94f, 0.935f, 0.5f);
        (_, Trainer trainer) = Make(
            new TrainerOptions
            {
                Epochs = 5,
                BatchSize = TrainerOptions.FullBatch,
                EarlyStopping = new EarlyStopping(Patience: 2, MinDelta: 0.02),
            },
            loss: loss
        );

        History h = trainer.Fit(x, y, vx, vy);

        Assert.Equal(4, h.Epochs.Count);
        Assert.Equal((2, 4), (h.BestEpoch, h.StoppedEpoch));
    }

    [Fact]
    public void EarlyStoppingCanRestoreTheBestWeights()
    {
        (Matrix<float> x, int[] y) = TestData.Separable(20, seed: 9);
        (Matrix<float> vx, int[] vy) = TestData.Separable(5, seed: 10);
        var snapshot = new SnapshotAtEpoch(2);
        var loss = new ScriptedValidationLoss(5, 1.0f, 0.5f, 0.6f, 0.7f);
        (Sequential model, Trainer trainer) = Make(
            new TrainerOptions
            {
                Epochs = 10,
                BatchSize = TrainerOptions.FullBatch,
                EarlyStopping = new EarlyStopping(2, RestoreBestWeights: true),
            },
            loss: loss,
            observers: snapshot
        );
        snapshot.Model = model;

        History h = trainer.Fit(x, y, vx, vy);

        Assert.Equal(4, h.Epochs.Count);
        Assert.Equal(snapshot.Weights, Weights(model));
    }

    [Fact]
    public void EarlyStoppingWithoutValidationSaysWhatIsMissing()
    {
        (Matrix<float> x, int[] y) = TestData.Separable(20, seed: 9);
        (_, Trainer trainer) = Make(new TrainerOptions { EarlyStopping = new EarlyStopping(1) });
        var ex = Assert.Throws<InvalidOperationException>(() => trainer.Fit(x, y));
        Assert.Contains("ValidationFraction", ex.Message);
    }

    [Fact]
    public void CheckFiniteNamesTheLayerAndOperation()
    {
        (Matrix<float> x, int[] y) = TestData.Separable(40, seed: 11);
        (Sequential model, Trainer trainer) = Make(
            new TrainerOptions
            {
                Epochs = 3,
                BatchSize = 8,
                CheckFinite = true,
            },
            middle: new TestPoisonLayer("poison", nanAtCall: 7)
        );

        History h = trainer.Fit(x, y);

        Assert.Equal(StopReason.NonFinite, h.StopReason);
        Assert.Equal(("poison", "forward"), (h.NonFinite!.Layer, h.NonFinite.Operation));
        Assert.Equal((2, 2), (h.StoppedEpoch, h.StoppedStep)); // 5 steps per epoch
        Assert.Equal("NaN appeared in forward of 'poison' (element 0) at epoch 2, step 2 (global step 7)", h.StopMessage);
        Assert.Equal(2, h.Epochs.Count); // epoch 2 is partial: one step done
        Assert.Equal(1, h.Epochs[1].Steps);
        Assert.True(double.IsNaN(h.Epochs[1].ValidationLoss));
        Assert.False(model.CheckFinite); // restored
        Assert.All(model.Parameters, p => Assert.True(p.Value.AllFinite()));
    }

    [Fact]
    public void CheckFiniteChecksTheLossValue()
    {
        (Matrix<float> x, int[] y) = TestData.Separable(40, seed: 11);
        (_, Trainer trainer) = Make(
            new TrainerOptions
            {
                Epochs = 2,
                BatchSize = 8,
                CheckFinite = true,
            },
            loss: new NanLossAt(4)
        );

        History h = trainer.Fit(x, y);

        Assert.Equal(StopReason.NonFinite, h.StopReason);
        Assert.Equal(("NanLossAt", "loss"), (h.NonFinite!.Layer, h.NonFinite.Operation));
        Assert.EndsWith("(global step 4)", h.StopMessage);
    }

    [Fact]
    public void WithoutCheckFiniteNaNLossesAreRecordedAndTrainingGoesOn()
    {
        (Matrix<float> x, int[] y) = TestData.Separable(40, seed: 11);
        (_, Trainer trainer) = Make(
            new TrainerOptions
            {
                Epochs = 2,
                BatchSize = 8,
                RecordSteps = true,
            },
            loss: new NanLossAt(4)
        );

        History h = trainer.Fit(x, y);

        Assert.Equal(StopReason.Completed, h.StopReason);
        Assert.Equal(10, h.Steps.Count);
        Assert.Equal(3, h.Steps.Count(s => double.IsFinite(s.Loss)));
        Assert.True(double.IsNaN(h.Last!.TrainLoss));
    }

    [Fact]
    public void ObserverCanStopAfterAStepAndProgressIsReported()
    {
        (Matrix<float> x, int[] y) = TestData.Separable(40, seed: 12);
        var reports = new List<TrainingProgress>();
        (_, Trainer trainer) = Make(
            new TrainerOptions
            {
                Epochs = 5,
                BatchSize = 8,
                ProgressEverySteps = 2,
            },
            observers: new StopAtGlobalStep(13)
        );

        History h = trainer.Fit(x, y, new InlineProgress<TrainingProgress>(reports.Add));

        Assert.Equal(StopReason.Observer, h.StopReason);
        Assert.Equal((3, 3), (h.StoppedEpoch, h.StoppedStep));
        Assert.Equal([5, 5, 3], h.Epochs.Select(e => e.Steps));
        Assert.Equal(6, reports.Count(r => !r.IsEpochEnd)); // global steps 2, 4, …, 12
        Assert.Equal(3, reports.Count(r => r.IsEpochEnd));
        Assert.StartsWith("epoch 1/5 step 2/5 | loss ", reports[0].ToString());
    }

    /// <summary>A bad label is named by its index in the data given to Fit, not by its place in a shuffled batch, and
    /// nothing is trained.</summary>
    [Fact]
    public void ABadLabelIsReportedByItsIndexInTheData()
    {
        (Matrix<float> x, int[] labels) = TestData.Separable(40, seed: 12);
        var split = ValidationSplit<float>.Create(x, labels, 0.25, seed: 3); // the trainer's own split with Seed = 3
        int held = split.ValidationIndices[2],
            kept = split.TrainIndices[5];
        foreach ((int bad, double fraction) in new[] { (37, 0.0), (held, 0.25), (kept, 0.25) })
        {
            int[] y = (int[])labels.Clone();
            y[bad] = 7; // the model has 2 outputs
            (Sequential model, Trainer trainer) = Make(
                new TrainerOptions
                {
                    Epochs = 2,
                    BatchSize = 8,
                    Seed = 3,
                    ValidationFraction = fraction,
                }
            );
            float[] before = Weights(model);
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(x, y));
            Assert.Contains($"Sample {bad} of labels has label 7; expected a class in [0, 2)", ex.Message);
            Assert.Equal(before, Weights(model));
        }
        (Matrix<float> vx, int[] vy) = TestData.Separable(10, seed: 13);
        vy[4] = -1;
        (_, Trainer t) = Make(new TrainerOptions { Epochs = 1, BatchSize = 8 });
        var vex = Assert.Throws<ArgumentOutOfRangeException>(() => t.Fit(x, labels, vx, vy));
        Assert.Contains("Sample 4 of validationLabels has label -1", vex.Message);
    }

    [Fact]
    public void CancellationStopsBeforeTheNextStep()
    {
        (Matrix<float> x, int[] y) = TestData.Separable(40, seed: 12);
        (Sequential model, Trainer trainer) = Make(new TrainerOptions { Epochs = 3, BatchSize = 8 });
        float[] before = Weights(model);

        History h = trainer.Fit(x, y, cancellationToken: new CancellationToken(canceled: true));

        Assert.Equal(StopReason.Cancelled, h.StopReason);
        Assert.Empty(h.Epochs);
        Assert.Equal(before, Weights(model));
    }

    [Fact]
    public void ConsoleProgressOverwritesStepLinesAndEndsEpochLines()
    {
        var writer = new StringWriter();
        var console = new ConsoleProgress(writer);
        console.Report(new TrainingProgress(1, 2, 1, 2, 1, 0.5, TimeSpan.FromSeconds(1), false));
        console.Report(new TrainingProgress(1, 2, 2, 2, 2, 0.25, TimeSpan.FromSeconds(2), true));
        string text = writer.ToString();
        Assert.StartsWith("\repoch 1/2 step 1/2 | loss 0.5000 | 1.0 s\repoch 1/2 step 2/2 | epoch loss 0.2500 | 2.0 s", text);
        Assert.EndsWith(Environment.NewLine, text);
    }

    [Fact]
    public void NoAllocationsPerStepAfterWarmUp()
    {
        (Matrix<float> x, int[] y) = TestData.Separable(644, seed: 13); // 80 batches of 8 and one of 4
        var meter = new AllocationMeter(fromStep: 95, toStep: 155); // inside epoch 2
        var progress = new CountingProgress();
        (_, Trainer trainer) = Make(
            new TrainerOptions
            {
                Epochs = 2,
                BatchSize = 8,
                RecordSteps = true,
                ProgressEverySteps = 1,
            },
            observers: meter
        );

        trainer.Fit(x, y, progress);

        Assert.True(meter.Measured);
        Assert.True(progress.Count > 150);
        Assert.Equal(0, meter.Bytes);
    }

    [Fact]
    public void NoAllocationsPerStepWithNonFiniteChecksOnABareLayer()
    {
        (Matrix<float> x, int[] y) = TestData.Separable(644, seed: 13);
        var meter = new AllocationMeter(fromStep: 95, toStep: 155);
        var layer = new TestLinear("linear", 2, 2, new RandomState(1));
        var trainer = new Trainer(
            layer,
            new TestSoftmaxCrossEntropy(),
            new TestSgd(layer.Parameters, 0.1f),
            new TrainerOptions
            {
                Epochs = 2,
                BatchSize = 8,
                CheckFinite = true,
            }
        );
        trainer.Observers.Add(meter);

        History h = trainer.Fit(x, y);

        Assert.Equal(StopReason.Completed, h.StopReason);
        Assert.Equal(0, meter.Bytes);
    }

    private sealed class SnapshotAtEpoch(int epoch) : ITrainingObserver<float>
    {
        public Sequential? Model { get; set; }

        public float[] Weights { get; private set; } = [];

        public bool OnEpoch(EpochRecord record)
        {
            if (record.Epoch == epoch)
            {
                Weights = Model!.Parameters.SelectMany(p => p.Value.Data).ToArray();
            }
            return false;
        }
    }

    private sealed class StopAtGlobalStep(long step) : ITrainingObserver<float>
    {
        public bool OnStep(TrainingStep<float> state) => state.GlobalStep == step;
    }

    private sealed class AllocationMeter(long fromStep, long toStep) : ITrainingObserver<float>
    {
        private long start;
        public long Bytes { get; private set; } = -1;
        public bool Measured => Bytes >= 0;

        public bool OnStep(TrainingStep<float> state)
        {
            if (state.GlobalStep == fromStep)
            {
                start = GC.GetAllocatedBytesForCurrentThread();
            }
            else if (state.GlobalStep == toStep)
            {
                Bytes = GC.GetAllocatedBytesForCurrentThread() - start;
            }
            return false;
        }
    }

    private sealed class CountingProgress : IProgress<TrainingProgress>
    {
        public int Count { get; private set; }

        public void Report(TrainingProgress value) => Count++;
    }
}

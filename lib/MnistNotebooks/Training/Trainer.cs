using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using MnistNotebooks.Data;
using MnistNotebooks.Diagnostics;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Metrics;
using MnistNotebooks.Optimizers;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Training;

/// <summary>Trains a model by mini-batch or full-batch gradient descent. One step is: zero the gradients →
/// Y = model.Forward(Xb) → L = loss.Forward(Y, yb) → model.Backward(loss.Backward()) → optimizer.Step().
/// A <see cref="Sequential{T}"/> skips its first layer's dX. After the first step a step allocates nothing: batches
/// are gathered into buffers allocated once per Fit.</summary>
public class Trainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly IReadOnlyDictionary<string, double> Empty = new Dictionary<string, double>();

    public Trainer(Layer<T> model, ILoss<T> loss, Optimizer<T> optimizer, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        Model = model;
        Loss = loss;
        Optimizer = optimizer;
        Options = options ?? new TrainerOptions();
        Options.Validate();
        Options.EarlyStopping?.Validate();
    }

    public Layer<T> Model { get; }

    public ILoss<T> Loss { get; }

    public Optimizer<T> Optimizer { get; }

    public TrainerOptions Options { get; }

    /// <summary>Watchers called after every step and epoch (see <see cref="ITrainingObserver{T}"/>).</summary>
    public IList<ITrainingObserver<T>> Observers { get; } = [];

    /// <summary>Trains on <paramref name="x"/> (n, features) and <paramref name="labels"/> (n); validates on a seeded
    /// <see cref="TrainerOptions.ValidationFraction"/> of them when it is &gt; 0.</summary>
    public History Fit(
        Matrix<T> x,
        int[] labels,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        CheckData(x, labels, nameof(x), nameof(labels));
        var rng = new RandomState(Options.Seed);
        if (Options.ValidationFraction == 0)
        {
            return Run(x, labels, null, null, [], rng, progress, cancellationToken);
        }
        ValidationSplit<T> split = ValidationSplit<T>.Create(x, labels, Options.ValidationFraction, rng);
        return Run(
            split.TrainX,
            split.TrainLabels,
            split.ValidationX,
            split.ValidationLabels,
            split.ValidationIndices,
            rng,
            progress,
            cancellationToken
        );
    }

    /// <summary>Trains on <paramref name="x"/>, <paramref name="labels"/> and validates on the explicit
    /// <paramref name="validationX"/>, <paramref name="validationLabels"/> after every epoch.</summary>
    public History Fit(
        Matrix<T> x,
        int[] labels,
        Matrix<T> validationX,
        int[] validationLabels,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        CheckData(x, labels, nameof(x), nameof(labels));
        CheckData(validationX, validationLabels, nameof(validationX), nameof(validationLabels));
        ShapeMismatchException.ThrowIfNot(validationX, -1, x.Cols, nameof(validationX), "n");
        return Run(x, labels, validationX, validationLabels, [], new RandomState(Options.Seed), progress, cancellationToken);
    }

    /// <summary>Evaluates this trainer's model and loss with <see cref="TrainerOptions.EvaluationBatchSize"/>.</summary>
    public EvaluationResult<T> Evaluate(Matrix<T> x, int[] labels) => Evaluate(Model, x, labels, Options.EvaluationBatchSize, Loss);

    /// <summary>Runs <paramref name="model"/> forward over <paramref name="x"/> in batches of <paramref name="batchSize"/>, in
    /// evaluation mode, without training. Loss is the mean over all samples of <paramref name="loss"/> (NaN when null).</summary>
    public static EvaluationResult<T> Evaluate(Layer<T> model, Matrix<T> x, int[] labels, int batchSize = 1000, ILoss<T>? loss = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckData(x, labels, nameof(x), nameof(labels));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var predictions = new int[x.Rows];
        Matrix<T>? outputs = null;
        (double lossValue, int correct) = new BatchEvaluator<T>(x, labels, batchSize).Run(
            model,
            loss,
            (offset, y) =>
            {
                outputs ??= new Matrix<T>(x.Rows, y.Cols);
                y.Data.AsSpan().CopyTo(outputs.Data.AsSpan(offset * y.Cols, y.Length));
                Predictions.Argmax(y, predictions.AsSpan(offset, y.Rows));
            }
        );
        return new EvaluationResult<T>(lossValue, (double)correct / x.Rows, correct, x.Rows, predictions, outputs!);
    }

    private History Run(
        Matrix<T> x,
        int[] labels,
        Matrix<T>? validationX,
        int[]? validationLabels,
        int[] validationIndices,
        RandomState rng,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken
    )
    {
        var batches = new Batches<T>(x, labels, Options.BatchSize);
        var validator = validationX is null ? null : new BatchEvaluator<T>(validationX, validationLabels!, Options.EvaluationBatchSize);
        if (Options.EarlyStopping is not null && validator is null)
        {
            throw new InvalidOperationException(
                "EarlyStopping monitors the validation loss: pass a validation set or set ValidationFraction > 0"
            );
        }
        var history = new History(
            x.Rows,
            validationIndices,
            validationX?.Rows ?? 0,
            batches.Size,
            batches.Count,
            Options.Epochs,
            Options.RecordSteps
        );
        var run = new FitRun(this, x, batches, history, rng, progress, cancellationToken);
        var sequential = Model as Sequential<T>;
        bool previousCheck = sequential?.CheckFinite ?? false;
        bool previousMode = Model.Training;
        double baseRate = Optimizer.LearningRate;
        if (sequential is not null)
        {
            sequential.CheckFinite = Options.CheckFinite;
        }
        try
        {
            for (int epoch = 1; epoch <= Options.Epochs && !run.Stopped; epoch++)
            {
                if (Options.LearningRateDecay != 1)
                {
                    Optimizer.LearningRate = baseRate * Math.Pow(Options.LearningRateDecay, epoch - 1);
                }
                run.Epoch(epoch, validator, validationLabels ?? []);
            }
        }
        finally
        {
            if (Options.LearningRateDecay != 1)
            {
                Optimizer.LearningRate = baseRate;
            }
            if (sequential is not null)
            {
                sequential.CheckFinite = previousCheck;
            }
            Model.Training = previousMode;
            history.Elapsed = Stopwatch.GetElapsedTime(run.Start);
        }
        if (!run.Stopped)
        {
            history.StopMessage = string.Create(
                CultureInfo.InvariantCulture,
                $"completed {Options.Epochs} epochs ({run.GlobalStep} steps)"
            );
        }
        return history;
    }

    private static void CheckData(Matrix<T> x, int[] labels, string xName, string labelsName)
    {
        ArgumentNullException.ThrowIfNull(x, xName);
        ArgumentNullException.ThrowIfNull(labels, labelsName);
        if (x.Rows != labels.Length)
        {
            throw new ArgumentException($"Expected {x.Rows} labels for {xName} {x.Shape} but got {labels.Length}", labelsName);
        }
        if (x.Rows == 0)
        {
            throw new ArgumentException($"Expected at least one sample in {xName} but got {x.Shape}", xName);
        }
    }

    /// <summary>The state of one Fit: the data order, the epoch's sums, the best weights for early stopping.</summary>
    private sealed class FitRun(
        Trainer<T> trainer,
        Matrix<T> x,
        Batches<T> batches,
        History history,
        RandomState rng,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken
    )
    {
        private readonly TrainerOptions options = trainer.Options;
        private readonly int[] order = [.. Enumerable.Range(0, batches.IsWhole ? 0 : history.TrainingCount)];
        private readonly Parameter<T>[] parameters = [.. trainer.Model.Parameters];
        private readonly double[] gradientSums = new double[trainer.Model.Parameters.Count];
        private readonly double[] ratios = new double[trainer.Model.Parameters.Count];
        private readonly UpdateRatioTracker<T>? tracker = trainer.Options.TrackUpdateRatios
            ? new UpdateRatioTracker<T>(trainer.Model.Parameters)
            : null;
        private readonly TrainingStep<T> step = new(trainer.Model);
        private readonly string lossName = trainer.Loss.GetType().Name.Split('`')[0];
        private T[][]? bestWeights;
        private double bestLoss = double.PositiveInfinity;
        private int bestEpoch,
            wait;
        private bool labelsChecked;

        public long Start { get; } = Stopwatch.GetTimestamp();

        public long GlobalStep { get; private set; }

        public bool Stopped { get; private set; }

        /// <summary>Shuffles, steps through every batch, validates and records the epoch.</summary>
        public void Epoch(int epoch, BatchEvaluator<T>? validator, int[] validationLabels)
        {
            long epochStart = Stopwatch.GetTimestamp();
            if (options.Augment is AugmentOptions augment)
            {
                int seed = unchecked(options.Seed * 7_919 + epoch);
                batches = new Batches<T>(Augmentation.Apply(x, augment, seed), batches.Labels, options.BatchSize);
            }
            if (!batches.IsWhole && options.Shuffle)
            {
                rng.Shuffle<int>(order);
            }
            Array.Clear(gradientSums);
            double lossSum = 0;
            int correct = 0,
                seen = 0,
                steps = 0;
            bool ratiosMeasured = false;
            trainer.Model.Training = true;
            try
            {
                for (int s = 0; s < batches.Count && !Stopped; s++)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        Stop(
                            string.Create(CultureInfo.InvariantCulture, $"cancelled before epoch {epoch}, step {s + 1}"),
                            StopReason.Cancelled,
                            epoch,
                            s
                        );
                        break;
                    }
                    bool measure = tracker is not null && s == batches.Count - 1;
                    (double loss, int batchCorrect, int count) = Step(epoch, s, measure, validationLabels);
                    ratiosMeasured |= measure;
                    (lossSum, correct, seen, steps) = (lossSum + loss * count, correct + batchCorrect, seen + count, steps + 1);
                }
            }
            catch (NonFiniteException ex) when (options.CheckFinite)
            {
                history.NonFinite = ex;
                Stop(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{ex.Message} at epoch {epoch}, step {steps + 1} (global step {GlobalStep})"
                    ),
                    StopReason.NonFinite,
                    epoch,
                    steps + 1
                );
            }
            if (steps == 0)
            {
                return;
            }
            (double validationLoss, double validationAccuracy) = Validate(epoch, validator, complete: steps == batches.Count);
            var record = new EpochRecord(
                epoch,
                steps,
                lossSum / seen,
                (double)correct / seen,
                validationLoss,
                validationAccuracy,
                options.TrackGradientNorms ? ByName(gradientSums, 1.0 / steps) : Empty,
                ratiosMeasured ? ByName(ratios, 1.0) : Empty,
                Stopwatch.GetElapsedTime(epochStart)
            );
            history.Add(record);
            progress?.Report(
                new TrainingProgress(
                    epoch,
                    options.Epochs,
                    steps,
                    batches.Count,
                    GlobalStep,
                    record.TrainLoss,
                    Stopwatch.GetElapsedTime(Start),
                    true,
                    validationLoss,
                    validationAccuracy
                )
            );
            bool stop = false;
            foreach (ITrainingObserver<T> observer in trainer.Observers)
            {
                stop |= observer.OnEpoch(record); // every observer sees every epoch, even after one asked to stop
            }
            if (stop && !Stopped)
            {
                Stop($"an observer stopped training after epoch {epoch}", StopReason.Observer, epoch, steps);
            }
            if (!Stopped && options.EarlyStopping is EarlyStopping early && record.HasValidation)
            {
                CheckEarlyStopping(early, record);
            }
        }

        /// <summary>One step on batch <paramref name="s"/>: gather → zero → forward → loss → backward → update. Allocation-free.</summary>
        private (double Loss, int Correct, int Count) Step(int epoch, int s, bool measureRatios, int[] validationLabels)
        {
            Layer<T> model = trainer.Model;
            (Matrix<T> xb, int[] yb) = batches.Gathered(s, order);
            GlobalStep++;
            model.ZeroGradients();
            Matrix<T> output = model.Forward(xb);
            if (!labelsChecked)
            {
                CheckLabels(output.Cols, validationLabels);
            }
            if (options.CheckFinite && model is not Sequential<T>)
            {
                NonFiniteException.ThrowIfNonFinite<T>(output.Data, model.Name, "forward");
            }
            double loss = double.CreateTruncating(trainer.Loss.Forward(output, yb));
            if (options.CheckFinite && !double.IsFinite(loss))
            {
                throw new NonFiniteException(lossName, "loss", 0, loss);
            }
            int batchCorrect = Predictions.CountCorrect(output, yb);
            Matrix<T> outputGradient = trainer.Loss.Backward();
            if (options.CheckFinite)
            {
                NonFiniteException.ThrowIfNonFinite<T>(outputGradient.Data, lossName, "backward");
            }
            if (model is Sequential<T> sequential)
            {
                sequential.BackwardParametersOnly(outputGradient);
            }
            else
            {
                model.Backward(outputGradient);
            }
            if (options.TrackGradientNorms)
            {
                for (int i = 0; i < parameters.Length; i++)
                {
                    gradientSums[i] += Math.Sqrt(Kernels.ElementWise.SumOfSquares<T>(parameters[i].Gradient.Data));
                }
            }
            if (measureRatios)
            {
                tracker!.Before();
            }
            trainer.Optimizer.Step();
            if (options.CheckFinite)
            {
                IReadOnlyList<Parameter<T>> updated = trainer.Optimizer.Parameters;
                for (int i = 0; i < updated.Count; i++)
                {
                    NonFiniteException.ThrowIfNonFinite<T>(updated[i].Value.Data, updated[i].Name, "update");
                }
            }
            if (measureRatios)
            {
                tracker!.After(ratios);
            }
            if (options.RecordSteps)
            {
                history.Add(new StepRecord(epoch, s + 1, GlobalStep, loss, (double)batchCorrect / yb.Length));
            }
            if (progress is not null && options.ProgressEverySteps > 0 && GlobalStep % options.ProgressEverySteps == 0)
            {
                var report = new TrainingProgress(
                    epoch,
                    options.Epochs,
                    s + 1,
                    batches.Count,
                    GlobalStep,
                    loss,
                    Stopwatch.GetElapsedTime(Start),
                    false
                );
                progress.Report(report);
            }
            if (trainer.Observers.Count > 0)
            {
                (step.Epoch, step.Step, step.GlobalStep, step.Loss) = (epoch, s + 1, GlobalStep, loss);
                (step.Inputs, step.Labels, step.Outputs) = (xb, yb, output);
                for (int i = 0; i < trainer.Observers.Count; i++)
                {
                    if (trainer.Observers[i].OnStep(step) && !Stopped)
                    {
                        Stop($"an observer stopped training at epoch {epoch}, step {s + 1}", StopReason.Observer, epoch, s + 1);
                    }
                }
            }
            return (loss, batchCorrect, yb.Length);
        }

        /// <summary>Labels are checked once, against the model's output width, and reported by their index in the data
        /// given to Fit (a split's rows are mapped back to it).</summary>
        private void CheckLabels(int classes, int[] validationLabels)
        {
            labelsChecked = true;
            bool split = history.ValidationIndices.Count > 0;
            foreach ((int[] y, bool validation) in new[] { (batches.Labels, false), (validationLabels, true) })
            {
                int bad = LossChecks.FirstOutOfRange(y, classes);
                if (bad < 0)
                {
                    continue;
                }
                int index =
                    !split ? bad
                    : validation ? history.ValidationIndices[bad]
                    : TrainIndex(bad);
                string name = validation && !split ? "validationLabels" : "labels";
                throw new ArgumentOutOfRangeException(
                    name,
                    y[bad],
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"Sample {index} of {name} has label {y[bad]}; expected a class in [0, {classes}), the model's output width"
                    )
                );
            }
        }

        /// <summary>The index in the data given to Fit of training row <paramref name="row"/> after the validation split.</summary>
        private int TrainIndex(int row)
        {
            var held = new HashSet<int>(history.ValidationIndices);
            int index = -1;
            for (int kept = -1; kept < row; )
            {
                if (!held.Contains(++index))
                {
                    kept++;
                }
            }
            return index;
        }

        private (double Loss, double Accuracy) Validate(int epoch, BatchEvaluator<T>? validator, bool complete)
        {
            if (validator is null || !complete)
            {
                return (double.NaN, double.NaN);
            }
            try
            {
                (double loss, int correct) = validator.Run(trainer.Model, trainer.Loss, null);
                return (loss, (double)correct / history.ValidationCount);
            }
            catch (NonFiniteException ex) when (options.CheckFinite)
            {
                history.NonFinite = ex;
                Stop($"{ex.Message} during validation after epoch {epoch}", StopReason.NonFinite, epoch, batches.Count);
                return (double.NaN, double.NaN);
            }
        }

        private void CheckEarlyStopping(EarlyStopping early, EpochRecord record)
        {
            if (record.ValidationLoss < bestLoss - early.MinDelta)
            {
                (bestLoss, bestEpoch, wait) = (record.ValidationLoss, record.Epoch, 0);
                if (early.RestoreBestWeights)
                {
                    bestWeights ??= [.. parameters.Select(p => new T[p.Value.Length])];
                    for (int i = 0; i < parameters.Length; i++)
                    {
                        parameters[i].Value.Data.AsSpan().CopyTo(bestWeights[i]);
                    }
                }
                return;
            }
            if (++wait < early.Patience)
            {
                return;
            }
            bool restore = early.RestoreBestWeights && bestWeights is not null;
            if (restore)
            {
                for (int i = 0; i < parameters.Length; i++)
                {
                    bestWeights![i].AsSpan().CopyTo(parameters[i].Value.Data);
                }
            }
            string message = string.Create(
                CultureInfo.InvariantCulture,
                $"validation loss did not improve by more than {early.MinDelta} for {early.Patience} epochs; best {bestLoss:0.0000} at epoch {bestEpoch}{(restore ? " (weights restored)" : "")}"
            );
            Stop(message, StopReason.EarlyStopping, record.Epoch, record.Steps);
            history.BestEpoch = bestEpoch;
        }

        private void Stop(string message, StopReason reason, int epoch, int stepInEpoch)
        {
            if (Stopped)
            {
                return;
            }
            Stopped = true;
            (history.StopReason, history.StopMessage, history.StoppedEpoch, history.StoppedStep) = (reason, message, epoch, stepInEpoch);
        }

        private Dictionary<string, double> ByName(double[] values, double scale)
        {
            var d = new Dictionary<string, double>(parameters.Length, StringComparer.Ordinal);
            for (int i = 0; i < parameters.Length; i++)
            {
                d[parameters[i].Name] = values[i] * scale;
            }
            return d;
        }
    }
}

/// <summary><see cref="Trainer{T}"/> in float32.</summary>
public sealed class Trainer(Layer<float> model, ILoss<float> loss, Optimizer<float> optimizer, TrainerOptions? options = null)
    : Trainer<float>(model, loss, optimizer, options);

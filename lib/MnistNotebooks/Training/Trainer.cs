using System.Diagnostics;
using System.Globalization;
using MnistNotebooks.Diagnostics;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Metrics;
using MnistNotebooks.Optimizers;

namespace MnistNotebooks.Training;

/// <summary>Trains a model with mini-batch or full-batch gradient descent. One step is:
/// zero the gradients → Y = model.Forward(Xb) → L = loss.Forward(Y, yb) → model.Backward(loss.Backward()) → optimizer.Step().
/// After the first epoch a step allocates nothing here: batches are gathered into buffers allocated once
/// (one for full batches, one for the last, smaller batch), so the allocation budget is the model's, loss's and optimizer's.</summary>
public sealed class Trainer
{
    public Trainer(ILayer model, ILoss loss, Optimizer optimizer, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        Model = model;
        Loss = loss;
        Optimizer = optimizer;
        Options = options ?? new TrainerOptions();
        Options.Validate();
    }

    public ILayer Model { get; }
    public ILoss Loss { get; }
    public Optimizer Optimizer { get; }
    public TrainerOptions Options { get; }

    /// <summary>Trains on <paramref name="x"/> (n, features) and <paramref name="labels"/> (n); validates on a seeded
    /// <see cref="TrainerOptions.ValidationFraction"/> of them when it is &gt; 0.</summary>
    public History Fit(Matrix x, int[] labels, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Run(x, labels, null, null, progress, cancellationToken);

    /// <summary>Trains on <paramref name="x"/>, <paramref name="labels"/> and validates on the explicit
    /// <paramref name="validationX"/>, <paramref name="validationLabels"/> after every epoch.</summary>
    public History Fit(Matrix x, int[] labels, Matrix validationX, int[] validationLabels, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(validationX);
        ArgumentNullException.ThrowIfNull(validationLabels);
        return Run(x, labels, validationX, validationLabels, progress, cancellationToken);
    }

    /// <summary>Evaluates this trainer's model and loss with <see cref="TrainerOptions.EvaluationBatchSize"/>.</summary>
    public EvaluationResult Evaluate(Matrix x, int[] labels) => Evaluate(Model, x, labels, Options.EvaluationBatchSize, Loss);

    /// <summary>Runs <paramref name="model"/> forward over <paramref name="x"/> in batches of <paramref name="batchSize"/>
    /// without training. Loss is the mean over all samples of <paramref name="loss"/> (NaN when null).</summary>
    public static EvaluationResult Evaluate(ILayer model, Matrix x, int[] labels, int batchSize = 1000, ILoss? loss = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckData(x, labels, "x", "labels");
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var evaluator = new BatchEvaluator(x, labels, batchSize);
        var predictions = new int[x.Rows];
        Matrix? outputs = null;
        (double lossValue, int correct) = evaluator.Run(model, loss, (offset, y) =>
        {
            outputs ??= new Matrix(x.Rows, y.Cols);
            y.Data.AsSpan().CopyTo(outputs.Data.AsSpan(offset * y.Cols, y.Length));
            Predictions.Argmax(y, predictions.AsSpan(offset, y.Rows));
        });
        return new EvaluationResult(lossValue, (double)correct / x.Rows, correct, x.Rows, predictions, outputs ?? new Matrix(0, 0));
    }

    private History Run(Matrix x, int[] labels, Matrix? validationX, int[]? validationLabels, IProgress<TrainingProgress>? progress, CancellationToken ct)
    {
        CheckData(x, labels, "x", "labels");
        var rng = new Random(Options.Seed);
        Matrix trainX = x;
        int[] trainY = labels;
        int[] validationIndices = [];
        if (validationX is not null)
        {
            CheckData(validationX, validationLabels!, "validationX", "validationLabels");
            if (validationX.Cols != x.Cols)
            {
                throw new ShapeMismatchException($"Expected validationX (n, {x.Cols}) but got {validationX.Shape}", nameof(validationX));
            }
        }
        else if (Options.ValidationFraction > 0)
        {
            (trainX, trainY, validationX, validationLabels, validationIndices) = Split(x, labels, Options.ValidationFraction, rng);
        }

        int n = trainX.Rows, features = trainX.Cols;
        int batchSize = Math.Min(Options.BatchSize, n);
        bool fullBatch = batchSize == n;
        int stepsPerEpoch = (n + batchSize - 1) / batchSize;
        Matrix batchX = fullBatch ? trainX : new Matrix(batchSize, features);
        int[] batchY = fullBatch ? trainY : new int[batchSize];
        int remainder = n % batchSize;
        Matrix partialX = remainder == 0 ? batchX : new Matrix(remainder, features);
        int[] partialY = remainder == 0 ? batchY : new int[remainder];
        int[] order = Enumerable.Range(0, n).ToArray();

        Parameter[] parameters = Model.Parameters.ToArray();
        Parameter[] updated = Optimizer.Parameters.ToArray();
        double[] gradientSums = new double[parameters.Length];
        double[] ratios = new double[parameters.Length];
        UpdateRatioTracker? tracker = Options.TrackUpdateRatios ? new UpdateRatioTracker(parameters) : null;
        ITrainingCallback[] callbacks = Options.Callbacks.ToArray();
        BatchEvaluator? validator = validationX is null ? null : new BatchEvaluator(validationX, validationLabels!, Options.EvaluationBatchSize);
        string lossName = Loss.GetType().Name;

        var history = new History(n, validationIndices, validationX?.Rows ?? 0, batchSize, stepsPerEpoch, Options.Epochs, Options.RecordSteps);
        var state = new TrainingState(Model, Loss, Optimizer, Options, history, validator is not null);
        foreach (ITrainingCallback c in callbacks)
        {
            c.OnTrainBegin(state);
        }
        bool check = state.CheckFinite;
        var sequential = Model as Sequential;
        bool previousCheck = sequential?.CheckFinite ?? false;
        if (check && sequential is not null)
        {
            sequential.CheckFinite = true;
        }

        long start = Stopwatch.GetTimestamp();
        try
        {
            for (int epoch = 1; epoch <= Options.Epochs && !state.StopRequested; epoch++)
            {
                long epochStart = Stopwatch.GetTimestamp();
                if (!fullBatch && Options.Shuffle)
                {
                    Shuffle(order, rng);
                }
                double lossSum = 0;
                int correct = 0, seen = 0, steps = 0;
                bool ratiosMeasured = false;
                Array.Clear(gradientSums);
                state.Epoch = epoch;
                try
                {
                    for (int s = 0; s < stepsPerEpoch; s++)
                    {
                        if (ct.IsCancellationRequested)
                        {
                            state.RequestStop(string.Create(CultureInfo.InvariantCulture, $"cancelled before epoch {epoch}, step {s + 1}"), StopReason.Cancelled);
                            break;
                        }
                        int offset = s * batchSize;
                        int count = Math.Min(batchSize, n - offset);
                        Matrix xb = count == batchSize ? batchX : partialX;
                        int[] yb = count == batchSize ? batchY : partialY;
                        if (!fullBatch)
                        {
                            Gather(trainX, trainY, order, offset, xb, yb);
                        }
                        state.Step = s + 1;
                        state.GlobalStep++;
                        state.BatchRows = count;
                        bool measureRatios = tracker is not null && s == stepsPerEpoch - 1;

                        // One step: zero → forward → loss → backward → update.
                        foreach (Parameter p in parameters)
                        {
                            p.ZeroGradient();
                        }
                        Matrix output = Model.Forward(xb);
                        if (check && sequential is null)
                        {
                            NonFiniteException.ThrowIfNonFinite(output.Data, Model.Name, "forward");
                        }
                        float loss = Loss.Forward(output, yb);
                        if (check && !float.IsFinite(loss))
                        {
                            throw new NonFiniteException(lossName, "loss", 0, loss);
                        }
                        int batchCorrect = Predictions.CountCorrect(output, yb);
                        Matrix outputGradient = Loss.Backward();
                        if (check)
                        {
                            NonFiniteException.ThrowIfNonFinite(outputGradient.Data, lossName, "backward");
                        }
                        Model.Backward(outputGradient);
                        if (Options.TrackGradientNorms)
                        {
                            for (int i = 0; i < parameters.Length; i++)
                            {
                                gradientSums[i] += GradientNorms.L2(parameters[i].Gradient.Data);
                            }
                        }
                        if (measureRatios)
                        {
                            tracker!.Before();
                        }
                        Optimizer.Step();
                        if (check)
                        {
                            foreach (Parameter p in updated)
                            {
                                NonFiniteException.ThrowIfNonFinite(p.Value.Data, p.Name, "update");
                            }
                        }
                        if (measureRatios)
                        {
                            tracker!.After(ratios);
                            ratiosMeasured = true;
                        }

                        steps++;
                        seen += count;
                        correct += batchCorrect;
                        lossSum += (double)loss * count;
                        state.StepLoss = loss;
                        if (Options.RecordSteps)
                        {
                            history.Add(new StepRecord(epoch, s + 1, state.GlobalStep, loss, (float)batchCorrect / count));
                        }
                        if (progress is not null && Options.ProgressEverySteps > 0 && state.GlobalStep % Options.ProgressEverySteps == 0)
                        {
                            progress.Report(new TrainingProgress(epoch, Options.Epochs, s + 1, stepsPerEpoch, state.GlobalStep, loss,
                                Stopwatch.GetElapsedTime(start), false));
                        }
                        foreach (ITrainingCallback c in callbacks)
                        {
                            c.OnStepEnd(state);
                        }
                        if (state.StopRequested)
                        {
                            break;
                        }
                    }
                }
                catch (NonFiniteException ex) when (check)
                {
                    history.NonFinite = ex;
                    foreach (ITrainingCallback c in callbacks)
                    {
                        c.OnNonFinite(state, ex);
                    }
                    state.RequestStop(string.Create(CultureInfo.InvariantCulture,
                        $"{ex.Message} at epoch {epoch}, step {state.Step} (global step {state.GlobalStep})"), StopReason.NonFinite);
                }
                if (steps == 0)
                {
                    break;
                }

                bool completeEpoch = steps == stepsPerEpoch;
                double validationLoss = double.NaN, validationAccuracy = double.NaN;
                if (validator is not null && completeEpoch)
                {
                    try
                    {
                        (validationLoss, int validationCorrect) = validator.Run(Model, Loss, null);
                        validationAccuracy = (double)validationCorrect / validationX!.Rows;
                    }
                    catch (NonFiniteException ex) when (check)
                    {
                        history.NonFinite = ex;
                        foreach (ITrainingCallback c in callbacks)
                        {
                            c.OnNonFinite(state, ex);
                        }
                        state.RequestStop(string.Create(CultureInfo.InvariantCulture, $"{ex.Message} during validation after epoch {epoch}"), StopReason.NonFinite);
                    }
                }
                var record = new EpochRecord(epoch, steps, lossSum / seen, (double)correct / seen, validationLoss, validationAccuracy,
                    Options.TrackGradientNorms ? ByName(parameters, gradientSums, 1.0 / steps) : Empty,
                    ratiosMeasured ? ByName(parameters, ratios, 1.0) : Empty,
                    Stopwatch.GetElapsedTime(epochStart));
                history.Add(record);
                progress?.Report(new TrainingProgress(epoch, Options.Epochs, steps, stepsPerEpoch, state.GlobalStep, record.TrainLoss,
                    Stopwatch.GetElapsedTime(start), true, validationLoss, validationAccuracy));
                foreach (ITrainingCallback c in callbacks)
                {
                    c.OnEpochEnd(state, record);
                }
            }
        }
        finally
        {
            if (sequential is not null)
            {
                sequential.CheckFinite = previousCheck;
            }
            history.Elapsed = Stopwatch.GetElapsedTime(start);
        }
        if (!state.StopRequested)
        {
            history.StopMessage = string.Create(CultureInfo.InvariantCulture, $"completed {Options.Epochs} epochs ({state.GlobalStep} steps)");
        }
        foreach (ITrainingCallback c in callbacks)
        {
            c.OnTrainEnd(state);
        }
        return history;
    }

    private static readonly IReadOnlyDictionary<string, double> Empty = new Dictionary<string, double>();

    private static Dictionary<string, double> ByName(Parameter[] parameters, double[] values, double scale)
    {
        var d = new Dictionary<string, double>(parameters.Length, StringComparer.Ordinal);
        for (int i = 0; i < parameters.Length; i++)
        {
            d[parameters[i].Name] = values[i] * scale;
        }
        return d;
    }

    /// <summary>Fisher–Yates: for i = n−1 … 1, swap order[i] with order[j], j uniform in 0..i.</summary>
    internal static void Shuffle(int[] order, Random rng)
    {
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }

    /// <summary>Copies rows order[offset .. offset + xb.Rows) of X and labels into the batch buffers.</summary>
    private static void Gather(Matrix x, int[] labels, int[] order, int offset, Matrix xb, int[] yb)
    {
        int f = x.Cols;
        for (int i = 0; i < xb.Rows; i++)
        {
            int row = order[offset + i];
            x.Data.AsSpan(row * f, f).CopyTo(xb.Data.AsSpan(i * f, f));
            yb[i] = labels[row];
        }
    }

    /// <summary>Holds out round(n·fraction) rows chosen by a seeded shuffle; both parts keep the original order.</summary>
    private static (Matrix, int[], Matrix, int[], int[]) Split(Matrix x, int[] labels, double fraction, Random rng)
    {
        int n = x.Rows;
        int validationCount = (int)Math.Round(n * fraction, MidpointRounding.AwayFromZero);
        if (validationCount < 1 || validationCount >= n)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"ValidationFraction {fraction} of {n} samples gives {validationCount} validation samples; expected 1..{n - 1}"));
        }
        int[] order = Enumerable.Range(0, n).ToArray();
        Shuffle(order, rng);
        int[] validationIndices = order[..validationCount];
        int[] trainIndices = order[validationCount..];
        Array.Sort(validationIndices);
        Array.Sort(trainIndices);
        return (Rows(x, trainIndices), trainIndices.Select(i => labels[i]).ToArray(),
                Rows(x, validationIndices), validationIndices.Select(i => labels[i]).ToArray(), validationIndices);
    }

    private static Matrix Rows(Matrix x, int[] indices)
    {
        var m = new Matrix(indices.Length, x.Cols);
        for (int i = 0; i < indices.Length; i++)
        {
            x.Row(indices[i]).CopyTo(m.Row(i));
        }
        return m;
    }

    private static void CheckData(Matrix x, int[] labels, string xName, string labelsName)
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

    /// <summary>Forward-only passes over contiguous batches, with buffers allocated once.</summary>
    private sealed class BatchEvaluator
    {
        private readonly Matrix x;
        private readonly int[] labels;
        private readonly Matrix batchX, partialX;
        private readonly int[] batchY, partialY;
        private readonly int batchSize;

        public BatchEvaluator(Matrix x, int[] labels, int batchSize)
        {
            this.x = x;
            this.labels = labels;
            this.batchSize = Math.Min(batchSize, x.Rows);
            bool whole = this.batchSize == x.Rows;
            batchX = whole ? x : new Matrix(this.batchSize, x.Cols);
            batchY = whole ? labels : new int[this.batchSize];
            int remainder = x.Rows % this.batchSize;
            partialX = remainder == 0 ? batchX : new Matrix(remainder, x.Cols);
            partialY = remainder == 0 ? batchY : new int[remainder];
        }

        /// <summary>Mean loss (NaN without a loss) and correct count; <paramref name="onBatch"/> sees (offset, outputs).</summary>
        public (double Loss, int Correct) Run(ILayer model, ILoss? loss, Action<int, Matrix>? onBatch)
        {
            double lossSum = 0;
            int correct = 0;
            for (int offset = 0; offset < x.Rows; offset += batchSize)
            {
                int count = Math.Min(batchSize, x.Rows - offset);
                Matrix xb = count == batchSize ? batchX : partialX;
                int[] yb = count == batchSize ? batchY : partialY;
                if (xb != x)
                {
                    x.Data.AsSpan(offset * x.Cols, count * x.Cols).CopyTo(xb.Data);
                    labels.AsSpan(offset, count).CopyTo(yb);
                }
                Matrix y = model.Forward(xb);
                if (loss is not null)
                {
                    lossSum += (double)loss.Forward(y, yb) * count;
                }
                correct += Predictions.CountCorrect(y, yb);
                onBatch?.Invoke(offset, y);
            }
            return (loss is null ? double.NaN : lossSum / x.Rows, correct);
        }
    }
}

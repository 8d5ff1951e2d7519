using System.Diagnostics;
using System.Globalization;
using MnistNotebooks.Diagnostics;
using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Metrics;
using MnistNotebooks.Optimizers;

namespace MnistNotebooks.Training;

/// <summary>One Fit: the buffers, counters and history of a training run. Everything is allocated in the constructor
/// so that <see cref="Step"/> allocates nothing.</summary>
internal sealed class TrainingLoop
{
    private readonly Trainer trainer;
    private readonly TrainerOptions options;
    private readonly IProgress<TrainingProgress>? progress;
    private readonly CancellationToken cancellationToken;
    private readonly Random rng;
    private readonly Matrix trainX;
    private readonly int[] trainY;
    private readonly int n,
        batchSize,
        stepsPerEpoch;
    private readonly bool fullBatch;
    private readonly Matrix batchX,
        partialX;
    private readonly int[] batchY,
        partialY,
        order;
    private readonly Parameter[] parameters,
        updated;
    private readonly double[] gradientSums,
        ratios;
    private readonly UpdateRatioTracker? tracker;
    private readonly ITrainingCallback[] callbacks;
    private readonly BatchEvaluator? validator;
    private readonly int validationCount;
    private readonly string lossName;
    private readonly History history;
    private readonly TrainingState state;
    private long start;
    private bool check;

    // Per-epoch sums.
    private double lossSum;
    private int correct,
        seen,
        steps;
    private bool ratiosMeasured;

    public TrainingLoop(
        Trainer trainer,
        Matrix x,
        int[] labels,
        Matrix? validationX,
        int[]? validationLabels,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken
    )
    {
        this.trainer = trainer;
        options = trainer.Options;
        this.progress = progress;
        this.cancellationToken = cancellationToken;
        rng = new Random(options.Seed);
        trainX = x;
        trainY = labels;
        int[] validationIndices = [];
        if (validationX is null && options.ValidationFraction > 0)
        {
            ValidationSplit split = ValidationSplit.Create(x, labels, options.ValidationFraction, rng);
            (trainX, trainY, validationX, validationLabels, validationIndices) = (
                split.TrainX,
                split.TrainLabels,
                split.ValidationX,
                split.ValidationLabels,
                split.ValidationIndices
            );
        }

        n = trainX.Rows;
        batchSize = Math.Min(options.BatchSize, n);
        fullBatch = batchSize == n;
        stepsPerEpoch = (n + batchSize - 1) / batchSize;
        batchX = fullBatch ? trainX : new Matrix(batchSize, trainX.Cols);
        batchY = fullBatch ? trainY : new int[batchSize];
        int remainder = n % batchSize;
        partialX = remainder == 0 ? batchX : new Matrix(remainder, trainX.Cols);
        partialY = remainder == 0 ? batchY : new int[remainder];
        order = Enumerable.Range(0, n).ToArray();

        parameters = trainer.Model.Parameters.ToArray();
        updated = trainer.Optimizer.Parameters.ToArray();
        gradientSums = new double[parameters.Length];
        ratios = new double[parameters.Length];
        tracker = options.TrackUpdateRatios ? new UpdateRatioTracker(parameters) : null;
        callbacks = options.Callbacks.ToArray();
        validationCount = validationX?.Rows ?? 0;
        validator = validationX is null ? null : new BatchEvaluator(validationX, validationLabels!, options.EvaluationBatchSize);
        lossName = trainer.Loss.GetType().Name;
        history = new History(n, validationIndices, validationCount, batchSize, stepsPerEpoch, options.Epochs, options.RecordSteps);
        state = new TrainingState(trainer.Model, trainer.Loss, trainer.Optimizer, options, history, validator is not null);
    }

    public History Execute()
    {
        foreach (ITrainingCallback c in callbacks)
        {
            c.OnTrainBegin(state);
        }
        check = state.CheckFinite;
        var sequential = trainer.Model as Sequential;
        bool previousCheck = sequential?.CheckFinite ?? false;
        if (check && sequential is not null)
        {
            sequential.CheckFinite = true;
        }
        start = Stopwatch.GetTimestamp();
        try
        {
            for (int epoch = 1; epoch <= options.Epochs && !state.StopRequested; epoch++)
            {
                if (!RunEpoch(epoch))
                {
                    break;
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
            history.StopMessage = string.Create(
                CultureInfo.InvariantCulture,
                $"completed {options.Epochs} epochs ({state.GlobalStep} steps)"
            );
        }
        foreach (ITrainingCallback c in callbacks)
        {
            c.OnTrainEnd(state);
        }
        return history;
    }

    /// <summary>Shuffles, steps through every batch, validates and records the epoch; false when no step ran.</summary>
    private bool RunEpoch(int epoch)
    {
        long epochStart = Stopwatch.GetTimestamp();
        if (!fullBatch && options.Shuffle)
        {
            FisherYates.Shuffle<int>(order, rng);
        }
        (lossSum, correct, seen, steps, ratiosMeasured) = (0, 0, 0, 0, false);
        Array.Clear(gradientSums);
        state.Epoch = epoch;
        try
        {
            for (int s = 0; s < stepsPerEpoch && !state.StopRequested; s++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    state.RequestStop(
                        string.Create(CultureInfo.InvariantCulture, $"cancelled before epoch {epoch}, step {s + 1}"),
                        StopReason.Cancelled
                    );
                    break;
                }
                Step(epoch, s);
            }
        }
        catch (NonFiniteException ex) when (check)
        {
            StopOnNonFinite(
                ex,
                string.Create(CultureInfo.InvariantCulture, $"at epoch {epoch}, step {state.Step} (global step {state.GlobalStep})")
            );
        }
        if (steps == 0)
        {
            return false;
        }

        double validationLoss = double.NaN,
            validationAccuracy = double.NaN;
        if (validator is not null && steps == stepsPerEpoch)
        {
            try
            {
                (validationLoss, int validationCorrect) = validator.Run(trainer.Model, trainer.Loss, null);
                validationAccuracy = (double)validationCorrect / validationCount;
            }
            catch (NonFiniteException ex) when (check)
            {
                StopOnNonFinite(ex, string.Create(CultureInfo.InvariantCulture, $"during validation after epoch {epoch}"));
            }
        }
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
                stepsPerEpoch,
                state.GlobalStep,
                record.TrainLoss,
                Stopwatch.GetElapsedTime(start),
                true,
                validationLoss,
                validationAccuracy
            )
        );
        foreach (ITrainingCallback c in callbacks)
        {
            c.OnEpochEnd(state, record);
        }
        return true;
    }

    /// <summary>One step on batch <paramref name="s"/>: gather → zero → forward → loss → backward → update. Allocation-free.</summary>
    private void Step(int epoch, int s)
    {
        int offset = s * batchSize;
        int count = Math.Min(batchSize, n - offset);
        Matrix xb = count == batchSize ? batchX : partialX;
        int[] yb = count == batchSize ? batchY : partialY;
        if (!fullBatch)
        {
            Gather(offset, xb, yb);
        }
        state.Step = s + 1;
        state.GlobalStep++;
        state.BatchRows = count;
        bool measureRatios = tracker is not null && s == stepsPerEpoch - 1;

        foreach (Parameter p in parameters)
        {
            p.ZeroGradient();
        }
        Matrix output = trainer.Model.Forward(xb);
        if (check && trainer.Model is not Sequential)
        {
            NonFiniteException.ThrowIfNonFinite(output.Data, trainer.Model.Name, "forward");
        }
        float loss = trainer.Loss.Forward(output, yb);
        if (check && !float.IsFinite(loss))
        {
            throw new NonFiniteException(lossName, "loss", 0, loss);
        }
        int batchCorrect = Predictions.CountCorrect(output, yb);
        Matrix outputGradient = trainer.Loss.Backward();
        if (check)
        {
            NonFiniteException.ThrowIfNonFinite(outputGradient.Data, lossName, "backward");
        }
        // Nobody reads dL/dX of the data: a model that can skip it (Sequential, Dense) does.
        if (trainer.Model is IParameterBackward model)
        {
            model.BackwardParametersOnly(outputGradient);
        }
        else
        {
            trainer.Model.Backward(outputGradient);
        }
        if (options.TrackGradientNorms)
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
        trainer.Optimizer.Step();
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
        if (options.RecordSteps)
        {
            history.Add(new StepRecord(epoch, s + 1, state.GlobalStep, loss, (float)batchCorrect / count));
        }
        if (progress is not null && options.ProgressEverySteps > 0 && state.GlobalStep % options.ProgressEverySteps == 0)
        {
            progress.Report(
                new TrainingProgress(
                    epoch,
                    options.Epochs,
                    s + 1,
                    stepsPerEpoch,
                    state.GlobalStep,
                    loss,
                    Stopwatch.GetElapsedTime(start),
                    false
                )
            );
        }
        foreach (ITrainingCallback c in callbacks)
        {
            c.OnStepEnd(state);
        }
    }

    private void StopOnNonFinite(NonFiniteException ex, string where)
    {
        history.NonFinite = ex;
        foreach (ITrainingCallback c in callbacks)
        {
            c.OnNonFinite(state, ex);
        }
        state.RequestStop($"{ex.Message} {where}", StopReason.NonFinite);
    }

    /// <summary>Copies rows order[offset .. offset + xb.Rows) of X and their labels into the batch buffers.</summary>
    private void Gather(int offset, Matrix xb, int[] yb)
    {
        int f = trainX.Cols;
        for (int i = 0; i < xb.Rows; i++)
        {
            int row = order[offset + i];
            trainX.Data.AsSpan(row * f, f).CopyTo(xb.Data.AsSpan(i * f, f));
            yb[i] = trainY[row];
        }
    }

    private static readonly IReadOnlyDictionary<string, double> Empty = new Dictionary<string, double>();

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

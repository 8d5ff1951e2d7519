using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Metrics;
using MnistNotebooks.Optimizers;

namespace MnistNotebooks.Training;

/// <summary>Trains a model with mini-batch or full-batch gradient descent. One step is:
/// zero the gradients → Y = model.Forward(Xb) → L = loss.Forward(Y, yb) → model.Backward(loss.Backward()) → optimizer.Step().
/// A model that is an <see cref="IParameterBackward"/> (Sequential) is asked for parameter gradients only: the first layer's dX is skipped.
/// A step allocates nothing here: batches are gathered into buffers allocated once per Fit
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
    public History Fit(
        Matrix x,
        int[] labels,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default
    ) => Run(x, labels, null, null, progress, cancellationToken);

    /// <summary>Trains on <paramref name="x"/>, <paramref name="labels"/> and validates on the explicit
    /// <paramref name="validationX"/>, <paramref name="validationLabels"/> after every epoch.</summary>
    public History Fit(
        Matrix x,
        int[] labels,
        Matrix validationX,
        int[] validationLabels,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default
    )
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
        (double lossValue, int correct) = evaluator.Run(
            model,
            loss,
            (offset, y) =>
            {
                outputs ??= new Matrix(x.Rows, y.Cols);
                y.Data.AsSpan().CopyTo(outputs.Data.AsSpan(offset * y.Cols, y.Length));
                Predictions.Argmax(y, predictions.AsSpan(offset, y.Rows));
            }
        );
        return new EvaluationResult(lossValue, (double)correct / x.Rows, correct, x.Rows, predictions, outputs ?? new Matrix(0, 0));
    }

    private History Run(
        Matrix x,
        int[] labels,
        Matrix? validationX,
        int[]? validationLabels,
        IProgress<TrainingProgress>? progress,
        CancellationToken ct
    )
    {
        CheckData(x, labels, "x", "labels");
        if (validationX is not null)
        {
            CheckData(validationX, validationLabels!, "validationX", "validationLabels");
            if (validationX.Cols != x.Cols)
            {
                throw new ShapeMismatchException($"Expected validationX (n, {x.Cols}) but got {validationX.Shape}", nameof(validationX));
            }
        }
        return new TrainingLoop(this, x, labels, validationX, validationLabels, progress, ct).Execute();
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
}

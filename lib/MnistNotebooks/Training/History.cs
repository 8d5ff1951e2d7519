using System.Globalization;
using System.Text;
using MnistNotebooks.Layers;

namespace MnistNotebooks.Training;

/// <summary>What a Trainer.Fit did: one record per epoch,
/// optionally one per step, and why it stopped.</summary>
public sealed class History
{
    private readonly List<EpochRecord> epochs;
    private readonly List<StepRecord> steps;

    internal History(
        int trainingCount,
        int[] validationIndices,
        int validationCount,
        int batchSize,
        int stepsPerEpoch,
        int epochs,
        bool recordSteps
    )
    {
        TrainingCount = trainingCount;
        ValidationIndices = validationIndices;
        ValidationCount = validationCount;
        BatchSize = batchSize;
        StepsPerEpoch = stepsPerEpoch;
        this.epochs = new List<EpochRecord>(epochs);
        steps = new List<StepRecord>(recordSteps ? checked(epochs * stepsPerEpoch) : 0);
    }

    /// <summary>Samples trained on (after the validation split).</summary>
    public int TrainingCount { get; }

    /// <summary>Samples validated on (0 without validation).</summary>
    public int ValidationCount { get; }

    /// <summary>Row indices of the original training set held out by <see cref="TrainerOptions.ValidationFraction"/>
    /// (empty when there was no split).</summary>
    public IReadOnlyList<int> ValidationIndices { get; }

    /// <summary>The effective batch size (the training count for full batch).</summary>
    public int BatchSize { get; }

    public int StepsPerEpoch { get; }

    public IReadOnlyList<EpochRecord> Epochs => epochs;

    /// <summary>One record per step when <see cref="TrainerOptions.RecordSteps"/>; otherwise empty.</summary>
    public IReadOnlyList<StepRecord> Steps => steps;

    public StopReason StopReason { get; internal set; } = StopReason.Completed;

    /// <summary>A readable sentence saying why training stopped (where, and in which layer and operation for a NaN).</summary>
    public string StopMessage { get; internal set; } = "";

    /// <summary>The first non-finite value caught (layer, operation, element), when <see cref="StopReason"/> is NonFinite.</summary>
    public NonFiniteException? NonFinite { get; internal set; }

    /// <summary>Epoch (1-based) and step within it where training stopped early; 0 when it completed.</summary>
    public int StoppedEpoch { get; internal set; }

    public int StoppedStep { get; internal set; }

    public TimeSpan Elapsed { get; internal set; }

    /// <summary>The epoch whose validation loss early stopping kept as the best (0 when it did not stop training).</summary>
    public int BestEpoch { get; internal set; }

    public EpochRecord? Last => epochs.Count == 0 ? null : epochs[^1];

    /// <summary>The epoch with the lowest validation loss (null without validation).</summary>
    public EpochRecord? BestValidation => epochs.Where(e => e.HasValidation).MinBy(e => e.ValidationLoss);

    internal void Add(EpochRecord record) => epochs.Add(record);

    internal void Add(StepRecord record) => steps.Add(record);

    /// <summary>One line per epoch, then how training ended.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (EpochRecord e in epochs)
        {
            sb.Append(e).Append('\n');
        }
        sb.Append(CultureInfo.InvariantCulture, $"{StopReason}: {StopMessage} ({Elapsed.TotalSeconds:0.00} s)");
        return sb.ToString();
    }
}

using System.Globalization;
using System.Numerics;
using MnistNotebooks.Layers;
using MnistNotebooks.Training;

namespace MnistNotebooks.Doctor;

/// <summary>Watches a <see cref="Trainer{T}"/> run for what only a run shows: the first non-finite loss (MN018),
/// outputs that stop depending on the input (MN016), predictions collapsing onto one class (MN015), update ratios far
/// from 1e-3 (MN009, MN014, MN019, when the trainer tracks them) and a training loss that rises (MN010). Never stops
/// training; allocation-free per step until something is found.</summary>
public sealed class DoctorObserver<T> : ITrainingObserver<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Steps of a collapse window, and consecutive steps of identical outputs before MN016.</summary>
    public const int Window = 20;

    /// <summary>Windows in a row of one predicted class, from the start of a run, before MN015.</summary>
    public const int CollapsedWindows = 10;

    private readonly DoctorReport? examination;
    private readonly FindingList found = new();
    private int[] predicted = [];
    private int[] labelled = [];
    private int windowSteps,
        identicalSteps,
        collapsedWindows;
    private bool sawDiverse;
    private double firstEpochLoss = double.NaN;
    private HashSet<string>? weightNames;

    /// <param name="examination">The examination before the run, if any, to merge into <see cref="Report"/>.</param>
    public DoctorObserver(DoctorReport? examination = null) => this.examination = examination;

    /// <summary>The examination before the run (if any) with what the run showed, merged by code.</summary>
    public DoctorReport Report =>
        (examination ?? new DoctorReport("training run", [], [], new Dictionary<string, double>(), 0, 0, 0, TimeSpan.Zero)).With(
            found.Ordered()
        );

    /// <summary>The findings of the run alone.</summary>
    public IReadOnlyList<Finding> RunFindings => found.Ordered();

    public bool OnStep(TrainingStep<T> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        Matrix<T> outputs = step.Outputs;
        if (!double.IsFinite(step.Loss) && !found.Has(FindingCodes.NonFinite))
        {
            string source = outputs.AllFinite() ? "the loss (the outputs were finite)" : "the model's outputs, then the loss";
            Add(
                FindingCodes.NonFinite,
                Severity.Error,
                Chapters.InsideARun,
                "The training loss became NaN or ∞",
                Invariant(
                    $"loss {Fmt.G(step.Loss)} at {Where(step)}, coming from {source}; train with CheckFinite = true to name the layer"
                ),
                "Fix the cause the other findings name; CheckFinite = true stops at the first layer and operation that produces it"
            );
        }
        if (predicted.Length != outputs.Cols)
        {
            predicted = new int[outputs.Cols];
            labelled = new int[outputs.Cols];
        }
        WatchIdentical(step, outputs);
        WatchCollapse(step, outputs);
        return false;
    }

    public bool OnEpoch(EpochRecord epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        if (double.IsNaN(firstEpochLoss))
        {
            firstEpochLoss = epoch.TrainLoss;
        }
        else if (epoch.TrainLoss > 1.5 * firstEpochLoss && double.IsFinite(epoch.TrainLoss))
        {
            Add(
                FindingCodes.StepIncreasesLoss,
                Severity.Warning,
                Chapters.LearningRateAndBatch,
                "The training loss rises from epoch to epoch: the learning rate is too large",
                Invariant($"mean training loss {Fmt.G(firstEpochLoss)} in epoch 1, {Fmt.G(epoch.TrainLoss)} in epoch {epoch.Epoch}"),
                "Lower the learning rate (or decay it); a learning-rate range test finds a stable one"
            );
        }
        JudgeRatios(epoch);
        return false;
    }

    private void JudgeRatios(EpochRecord epoch)
    {
        (string Name, double Ratio)[] ratios =
        [
            .. epoch.UpdateRatios.Where(kv => weightNames is null || weightNames.Contains(kv.Key)).Select(kv => (kv.Key, kv.Value)),
        ];
        if (ratios.Length == 0)
        {
            return;
        }
        double max = ratios.Max(r => r.Ratio);
        string list = string.Join(", ", ratios.Select(r => $"{r.Name} {Fmt.G(r.Ratio)}"));
        string evidence = Invariant($"‖ΔW‖/‖W‖ at the last step of epoch {epoch.Epoch}: {list} (healthy: about 1e-3)");
        if (max >= DoctorThresholds.UpdateRatioHigh)
        {
            bool far = max >= DoctorThresholds.UpdateRatioFar;
            Add(
                FindingCodes.UpdateTooLarge,
                far ? Severity.Error : Severity.Warning,
                far ? Chapters.DeadSigmoids : Chapters.LearningRateAndBatch,
                Invariant($"Updates move the weights by {Fmt.G(max)} of their size during training"),
                evidence,
                "Lower the learning rate: aim for ‖ΔW‖/‖W‖ ≈ 1e-3"
            );
        }
        else if (max < DoctorThresholds.NoLearningRatio)
        {
            Add(
                FindingCodes.LearningStopped,
                Severity.Error,
                Chapters.InsideARun,
                "Learning stopped during training: the updates are about 0",
                evidence,
                "Find where the gradient died (saturated or dead units) and what put them there"
            );
        }
        else if (max < DoctorThresholds.UpdateRatioLow)
        {
            Add(
                FindingCodes.UpdateTooSmall,
                Severity.Warning,
                Chapters.LearningRateAndBatch,
                "Updates barely move the weights during training",
                evidence,
                "Raise the learning rate; a learning-rate range test finds the largest that still lowers the loss"
            );
        }
    }

    /// <summary>MN016: every row of the batch's outputs identical, for <see cref="Window"/> steps in a row.</summary>
    private void WatchIdentical(TrainingStep<T> step, Matrix<T> outputs)
    {
        weightNames ??= [.. step.Model.Parameters.Where(p => p.Value.Rows > 1 && p.Value.Cols > 1).Select(p => p.Name)];
        identicalSteps = RowsIdentical(outputs) ? identicalSteps + 1 : 0;
        if (identicalSteps == Window && !found.Has(FindingCodes.OutputsIgnoreInput))
        {
            Add(
                FindingCodes.OutputsIgnoreInput,
                Severity.Error,
                Chapters.SoftmaxOverflow,
                "The network gives every input the same output: the loss is stuck",
                Invariant(
                    $"identical outputs for every sample of {Window} batches in a row up to {Where(step)}; batch loss {Fmt.F(step.Loss)} (ln {outputs.Cols} = {Fmt.F(Math.Log(outputs.Cols))})"
                ),
                "Find the layer where the signal dies (dead ReLUs, saturated units) and what put it there (a step far too large)"
            );
        }
    }

    /// <summary>MN015: the predictions of <see cref="Window"/> consecutive batches, 90% in one class the labels do not
    /// favour, after diverse predictions or for <see cref="CollapsedWindows"/> windows in a row.</summary>
    private void WatchCollapse(TrainingStep<T> step, Matrix<T> outputs)
    {
        for (int r = 0; r < outputs.Rows; r++)
        {
            predicted[Metrics.Predictions.Argmax<T>(outputs.Row(r))]++;
            labelled[step.Labels[r]]++;
        }
        if (++windowSteps < Window)
        {
            return;
        }
        int top = 0,
            total = 0;
        for (int c = 0; c < predicted.Length; c++)
        {
            total += predicted[c];
            top = predicted[c] > predicted[top] ? c : top;
        }
        double share = (double)predicted[top] / total,
            labelShare = (double)labelled[top] / total;
        bool collapsed = share >= DoctorThresholds.CollapseShare && labelShare < 0.5;
        collapsedWindows = collapsed ? collapsedWindows + 1 : 0;
        sawDiverse |= !collapsed;
        // An untrained network often predicts one class; it counts once the run had diverse predictions and lost
        // them, or when it keeps one class for CollapsedWindows windows in a row.
        if (collapsed && (sawDiverse || collapsedWindows >= CollapsedWindows))
        {
            Add(
                FindingCodes.PredictionsCollapsed,
                Severity.Warning,
                Chapters.WrongAxis,
                Invariant($"The predictions collapsed onto one class ({top}) during training"),
                Invariant(
                    $"{Fmt.Pct(share)} of the {Fmt.N(total)} samples of the {Window} batches up to {Where(step)} were predicted {top} ({Fmt.Pct(labelShare)} of their labels)"
                ),
                "Look for what pushes every sample the same way: the softmax's axis, saturated outputs, a step far too large"
            );
        }
        Array.Clear(predicted);
        Array.Clear(labelled);
        windowSteps = 0;
    }

    private static bool RowsIdentical(Matrix<T> outputs)
    {
        if (outputs.Rows < 2)
        {
            return false;
        }
        ReadOnlySpan<T> first = outputs.Row(0);
        for (int r = 1; r < outputs.Rows; r++)
        {
            if (!outputs.Row(r).SequenceEqual(first))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Records the first time a code shows in the run; later epochs add nothing new.</summary>
    private void Add(string code, Severity severity, Chapter chapter, string title, string evidence, string fix)
    {
        if (!found.Has(code))
        {
            found.Add(code, severity, chapter, title, evidence, fix);
        }
    }

    private static string Where(TrainingStep<T> step) =>
        string.Create(CultureInfo.InvariantCulture, $"epoch {step.Epoch}, step {step.Step} (global step {step.GlobalStep})");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

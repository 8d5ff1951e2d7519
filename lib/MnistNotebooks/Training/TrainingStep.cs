using System.Numerics;
using MnistNotebooks.Layers;

namespace MnistNotebooks.Training;

/// <summary>What an observer sees after a step: where training is, the batch, the model's output and the step's loss.
/// One instance per Fit, updated in place; the matrices are the trainer's buffers (read, do not keep).</summary>
public sealed class TrainingStep<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    internal TrainingStep(Layer<T> model) => Model = model;

    public Layer<T> Model { get; }

    /// <summary>The current epoch and step within it, both 1-based.</summary>
    public int Epoch { get; internal set; }

    public int Step { get; internal set; }

    /// <summary>Optimizer steps taken so far in this Fit.</summary>
    public long GlobalStep { get; internal set; }

    /// <summary>The batch's mean loss, before the update.</summary>
    public double Loss { get; internal set; }

    /// <summary>The batch (batch, features) and its labels.</summary>
    public Matrix<T> Inputs { get; internal set; } = null!;

    public int[] Labels { get; internal set; } = null!;

    /// <summary>The model's output for the batch, before the update.</summary>
    public Matrix<T> Outputs { get; internal set; } = null!;
}

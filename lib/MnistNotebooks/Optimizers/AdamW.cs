using System.Numerics;
using MnistNotebooks.Layers;

namespace MnistNotebooks.Optimizers;

/// <summary>AdamW (Loshchilov &amp; Hutter 2019), PyTorch's formulation: w ← w·(1 − α·λ), then the Adam step on g alone.
/// The decay no longer passes through √v, so every weight shrinks at the same rate whatever its gradient's scale.</summary>
public class AdamW<T>(
    IEnumerable<Parameter<T>> parameters,
    double learningRate,
    double weightDecay = 0.01,
    double beta1 = 0.9,
    double beta2 = 0.999,
    double epsilon = 1e-8
) : Adam<T>(parameters, learningRate, beta1, beta2, epsilon, weightDecay)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private protected override bool DecouplesWeightDecay => true;
}

/// <summary><see cref="AdamW{T}"/> in float32.</summary>
public sealed class AdamW(
    IEnumerable<Parameter<float>> parameters,
    double learningRate,
    double weightDecay = 0.01,
    double beta1 = 0.9,
    double beta2 = 0.999,
    double epsilon = 1e-8
) : AdamW<float>(parameters, learningRate, weightDecay, beta1, beta2, epsilon);

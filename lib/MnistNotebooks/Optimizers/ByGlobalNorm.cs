using System.Numerics;
using MnistNotebooks.Layers;

namespace MnistNotebooks.Optimizers;

/// <summary>g ← g · MaxNorm / ‖g‖ for every parameter when the global norm ‖g‖ &gt; MaxNorm (the direction is kept).
/// A non-finite norm scales by NaN, as PyTorch's <c>clip_grad_norm_</c> does by default: clipping does not hide NaN.</summary>
public sealed record ByGlobalNorm : GradientClipping
{
    public ByGlobalNorm(double maxNorm)
    {
        if (!double.IsFinite(maxNorm) || maxNorm <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The maximum norm must be finite and > 0");
        }
        MaxNorm = maxNorm;
    }

    public double MaxNorm { get; }

    public override double Apply<T>(IReadOnlyList<Parameter<T>> parameters)
    {
        double norm = GlobalNorm(parameters);
        if (norm > MaxNorm || !double.IsFinite(norm))
        {
            T scale = T.CreateTruncating(MaxNorm / norm);
            for (int i = 0; i < parameters.Count; i++)
            {
                Kernels.ElementWise.Scale<T>(parameters[i].Gradient.Data, scale);
            }
        }
        return norm;
    }
}

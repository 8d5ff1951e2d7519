using System.Numerics;
using MnistNotebooks.Layers;

namespace MnistNotebooks.Optimizers;

/// <summary>Gradient clipping, applied by <see cref="Optimizer{T}.Step"/> after weight decay and before the update:
/// <see cref="ByGlobalNorm"/> rescales all gradients together, <see cref="ByValue"/> clamps each element.</summary>
public abstract record GradientClipping
{
    /// <summary>Clips the gradients in place; returns the global L2 norm measured before clipping.</summary>
    public abstract double Apply<T>(IReadOnlyList<Parameter<T>> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>‖g‖ = √(Σ over every parameter of Σ g²), accumulated in double.</summary>
    public static double GlobalNorm<T>(IReadOnlyList<Parameter<T>> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double sum = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            sum += Kernels.ElementWise.SumOfSquares<T>(parameters[i].Gradient.Data);
        }
        return Math.Sqrt(sum);
    }
}

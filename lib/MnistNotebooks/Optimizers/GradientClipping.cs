using MnistNotebooks.Layers;

namespace MnistNotebooks.Optimizers;

/// <summary>Gradient clipping, applied by <see cref="Optimizer.Step"/> after weight decay and before the update:
/// <see cref="ByGlobalNorm"/> rescales all gradients together, <see cref="ByValue"/> clamps each element.</summary>
public abstract record GradientClipping
{
    /// <summary>Clips the gradients in place; returns the global L2 norm measured before clipping.</summary>
    public abstract double Apply(IReadOnlyList<Parameter> parameters);

    /// <summary>‖g‖ = √(Σ over every parameter of Σ g²), accumulated in double.</summary>
    public static double GlobalNorm(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double sum = 0;
        foreach (Parameter p in parameters)
        {
            sum += Kernels.ElementWise.SumOfSquares(p.Gradient.Data);
        }
        return Math.Sqrt(sum);
    }
}

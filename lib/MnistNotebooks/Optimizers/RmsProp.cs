using System.Numerics;
using System.Runtime.CompilerServices;
using MnistNotebooks.Kernels;
using MnistNotebooks.Layers;

namespace MnistNotebooks.Optimizers;

/// <summary>RMSprop (Hinton, lecture 6e): s ← ρ·s + (1 − ρ)·g², w ← w − α·g / (√s + ε), s starting at 0.
/// ε is added OUTSIDE the square root, as PyTorch and Keras do (TensorFlow 1's tf.train version put it inside).</summary>
public class RmsProp<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] meanSquares;

    public RmsProp(
        IEnumerable<Parameter<T>> parameters,
        double learningRate,
        double rho = 0.9,
        double epsilon = 1e-8,
        double weightDecay = 0
    )
        : base(parameters, learningRate, weightDecay)
    {
        Rho = CheckRange(rho, 0, 1, nameof(rho), "in [0, 1)");
        Epsilon = CheckRange(epsilon, double.Epsilon, double.PositiveInfinity, nameof(epsilon), "finite and > 0");
        meanSquares = NewState();
    }

    /// <summary>ρ, the decay of the running mean of g².</summary>
    public double Rho { get; }

    public double Epsilon { get; }

    protected override void Update(int index, Parameter<T> parameter)
    {
        var rule = new Rule(
            T.CreateTruncating(LearningRate),
            T.CreateTruncating(Rho),
            T.CreateTruncating(1 - Rho),
            T.CreateTruncating(Epsilon)
        );
        VectorLoops.Update(rule, parameter.Value.Data, parameter.Gradient.Data, meanSquares[index], []);
    }

    private readonly struct Rule(T lr, T rho, T oneMinusRho, T eps) : IUpdateRule<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TL>(ref TL w, TL g, ref TL s, ref TL unused)
            where TL : struct, ILanes<TL, T>
        {
            s = (TL.Create(rho) * s) + (TL.Create(oneMinusRho) * g * g);
            w -= TL.Create(lr) * g / (TL.Sqrt(s) + TL.Create(eps));
        }
    }
}

/// <summary><see cref="RmsProp{T}"/> in float32.</summary>
public sealed class RmsProp(
    IEnumerable<Parameter<float>> parameters,
    double learningRate,
    double rho = 0.9,
    double epsilon = 1e-8,
    double weightDecay = 0
) : RmsProp<float>(parameters, learningRate, rho, epsilon, weightDecay);

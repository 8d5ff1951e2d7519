using System.Numerics;
using System.Runtime.CompilerServices;
using MnistNotebooks.Kernels;
using MnistNotebooks.Layers;

namespace MnistNotebooks.Optimizers;

/// <summary>Adam (Kingma &amp; Ba 2015), PyTorch's formulation: m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g²,
/// w ← w − α·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε), t = 1, 2, … Weight decay here is L2 added to g (see AdamW).</summary>
public class Adam<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] firstMoments;
    private readonly T[][] secondMoments;

    public Adam(
        IEnumerable<Parameter<T>> parameters,
        double learningRate,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double weightDecay = 0
    )
        : base(parameters, learningRate, weightDecay)
    {
        Beta1 = CheckRange(beta1, 0, 1, nameof(beta1), "in [0, 1)");
        Beta2 = CheckRange(beta2, 0, 1, nameof(beta2), "in [0, 1)");
        Epsilon = CheckRange(epsilon, double.Epsilon, double.PositiveInfinity, nameof(epsilon), "finite and > 0");
        firstMoments = NewState();
        secondMoments = NewState();
    }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Epsilon { get; }

    protected override void Update(int index, Parameter<T> parameter)
    {
        if (DecouplesWeightDecay)
        {
            // AdamW: w ← w·(1 − α·λ) before the Adam step, as PyTorch does.
            ElementWise.Scale(parameter.Value.Data, T.CreateTruncating(1 - LearningRate * WeightDecay));
        }
        // The bias corrections undo the zero start of m and v; computed in double since β₂ᵗ is close to 1.
        var rule = new Rule(
            T.CreateTruncating(LearningRate),
            T.CreateTruncating(Beta1),
            T.CreateTruncating(Beta2),
            T.CreateTruncating(1 - Beta1),
            T.CreateTruncating(1 - Beta2),
            T.CreateTruncating(1 - Math.Pow(Beta1, StepCount)),
            T.CreateTruncating(1 - Math.Pow(Beta2, StepCount)),
            T.CreateTruncating(Epsilon)
        );
        VectorLoops.Update(rule, parameter.Value.Data, parameter.Gradient.Data, firstMoments[index], secondMoments[index]);
    }

    private readonly struct Rule(T lr, T b1, T b2, T a1, T a2, T c1, T c2, T eps) : IUpdateRule<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TL>(ref TL w, TL g, ref TL m, ref TL v)
            where TL : struct, ILanes<TL, T>
        {
            m = (TL.Create(b1) * m) + (TL.Create(a1) * g);
            v = (TL.Create(b2) * v) + (TL.Create(a2) * g * g);
            // 1 − β₁ᵗ rounds to exactly 1 after some hundreds of steps (float: t ≥ 165), and m / 1 is m: one of the
            // three divisions, which bound this loop, is skipped with the same bits.
            TL mHat = c1 == T.One ? m : m / TL.Create(c1);
            w -= TL.Create(lr) * mHat / (TL.Sqrt(v / TL.Create(c2)) + TL.Create(eps));
        }
    }
}

/// <summary><see cref="Adam{T}"/> in float32.</summary>
public sealed class Adam(
    IEnumerable<Parameter<float>> parameters,
    double learningRate,
    double beta1 = 0.9,
    double beta2 = 0.999,
    double epsilon = 1e-8,
    double weightDecay = 0
) : Adam<float>(parameters, learningRate, beta1, beta2, epsilon, weightDecay);

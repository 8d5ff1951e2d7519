using System.Numerics;
using System.Runtime.CompilerServices;
using MnistNotebooks.Kernels;
using MnistNotebooks.Layers;

namespace MnistNotebooks.Optimizers;

/// <summary>Stochastic gradient descent, PyTorch's formulation: w ← w − α·g without momentum; with momentum μ,
/// v ← μ·v + g and w ← w − α·v, or with Nesterov w ← w − α·(g + μ·v) (using the new v). v starts at 0.</summary>
public class Sgd<T> : Optimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] velocities;

    public Sgd(
        IEnumerable<Parameter<T>> parameters,
        double learningRate,
        double momentum = 0,
        bool nesterov = false,
        double weightDecay = 0
    )
        : base(parameters, learningRate, weightDecay)
    {
        Momentum = CheckRange(momentum, 0, 1, nameof(momentum), "in [0, 1)");
        if (nesterov && momentum == 0)
        {
            throw new ArgumentException("Nesterov momentum needs a momentum > 0", nameof(nesterov));
        }
        Nesterov = nesterov;
        velocities = momentum > 0 ? NewState() : [];
    }

    /// <summary>μ; 0 is plain SGD.</summary>
    public double Momentum { get; }

    public bool Nesterov { get; }

    protected override void Update(int index, Parameter<T> parameter)
    {
        T lr = T.CreateTruncating(LearningRate);
        if (Momentum == 0)
        {
            ElementWise.Axpy(-lr, parameter.Gradient.Data, parameter.Value.Data);
            return;
        }
        var rule = new MomentumRule(lr, T.CreateTruncating(Momentum), Nesterov);
        VectorLoops.Update(rule, parameter.Value.Data, parameter.Gradient.Data, velocities[index], []);
    }

    private readonly struct MomentumRule(T lr, T mu, bool nesterov) : IUpdateRule<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TL>(ref TL w, TL g, ref TL v, ref TL unused)
            where TL : struct, ILanes<TL, T>
        {
            v = (TL.Create(mu) * v) + g;
            w -= TL.Create(lr) * (nesterov ? g + (TL.Create(mu) * v) : v);
        }
    }
}

/// <summary><see cref="Sgd{T}"/> in float32.</summary>
public sealed class Sgd(
    IEnumerable<Parameter<float>> parameters,
    double learningRate,
    double momentum = 0,
    bool nesterov = false,
    double weightDecay = 0
) : Sgd<float>(parameters, learningRate, momentum, nesterov, weightDecay);

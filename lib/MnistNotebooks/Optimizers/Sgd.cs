using MnistNotebooks.Layers;

namespace MnistNotebooks.Optimizers;

/// <summary>Stochastic gradient descent, PyTorch's formulation: w ← w − α·g without momentum; with momentum μ,
/// v ← μ·v + g and w ← w − α·v, or with Nesterov w ← w − α·(g + μ·v) (using the new v). v starts at 0.</summary>
public sealed class Sgd : Optimizer
{
    private readonly float[][] velocities;

    public Sgd(IEnumerable<Parameter> parameters, float learningRate, float momentum = 0f, bool nesterov = false, float weightDecay = 0f)
        : base(parameters, learningRate, weightDecay)
    {
        if (!float.IsFinite(momentum) || momentum < 0 || momentum >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum must be in [0, 1)");
        }
        if (nesterov && momentum == 0)
        {
            throw new ArgumentException("Nesterov momentum needs a momentum > 0", nameof(nesterov));
        }
        Momentum = momentum;
        Nesterov = nesterov;
        velocities = momentum > 0 ? Parameters.Select(p => new float[p.Value.Length]).ToArray() : [];
    }

    /// <summary>μ; 0 is plain SGD.</summary>
    public float Momentum { get; }

    public bool Nesterov { get; }

    protected override void Update(int index, Parameter parameter)
    {
        Span<float> w = parameter.Value.Data;
        ReadOnlySpan<float> g = parameter.Gradient.Data;
        float lr = LearningRate;
        if (Momentum == 0)
        {
            Kernels.ElementWise.Axpy(-lr, g, w);
            return;
        }
        Span<float> v = velocities[index];
        for (int i = 0; i < w.Length; i++)
        {
            v[i] = Momentum * v[i] + g[i];
            w[i] -= lr * (Nesterov ? g[i] + Momentum * v[i] : v[i]);
        }
    }
}

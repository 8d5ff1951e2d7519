using MnistNotebooks.Layers;

namespace MnistNotebooks.Optimizers;

/// <summary>RMSprop (Hinton, lecture 6e): s ← ρ·s + (1 − ρ)·g², w ← w − α·g / (√s + ε), s starting at 0.
/// ε is added OUTSIDE the square root, as PyTorch and Keras do (TensorFlow 1's tf.train version put it inside).</summary>
public sealed class RmsProp : Optimizer
{
    private readonly float[][] meanSquares;

    public RmsProp(IEnumerable<Parameter> parameters, float learningRate, float rho = 0.9f, float epsilon = 1e-8f, float weightDecay = 0f)
        : base(parameters, learningRate, weightDecay)
    {
        if (!float.IsFinite(rho) || rho < 0 || rho >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rho), rho, "ρ must be in [0, 1)");
        }
        if (!float.IsFinite(epsilon) || epsilon <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be finite and > 0");
        }
        Rho = rho;
        Epsilon = epsilon;
        meanSquares = Parameters.Select(p => new float[p.Value.Length]).ToArray();
    }

    /// <summary>ρ, the decay of the running mean of g².</summary>
    public float Rho { get; }

    public float Epsilon { get; }

    protected override void Update(int index, Parameter parameter)
    {
        Span<float> w = parameter.Value.Data;
        ReadOnlySpan<float> g = parameter.Gradient.Data;
        Span<float> s = meanSquares[index];
        float lr = LearningRate;
        for (int i = 0; i < w.Length; i++)
        {
            s[i] = Rho * s[i] + (1 - Rho) * g[i] * g[i];
            w[i] -= lr * g[i] / (MathF.Sqrt(s[i]) + Epsilon);
        }
    }
}

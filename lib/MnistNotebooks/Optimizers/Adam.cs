using MnistNotebooks.Layers;

namespace MnistNotebooks.Optimizers;

/// <summary>Adam (Kingma &amp; Ba 2015), PyTorch's formulation: m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g²,
/// w ← w − α·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε), t = 1, 2, … Weight decay is L2 added to g (not AdamW).</summary>
public sealed class Adam : Optimizer
{
    private readonly float[][] firstMoments;
    private readonly float[][] secondMoments;

    public Adam(IEnumerable<Parameter> parameters, float learningRate, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
        : base(parameters, learningRate, weightDecay)
    {
        if (!float.IsFinite(beta1) || beta1 < 0 || beta1 >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β₁ must be in [0, 1)");
        }
        if (!float.IsFinite(beta2) || beta2 < 0 || beta2 >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β₂ must be in [0, 1)");
        }
        if (!float.IsFinite(epsilon) || epsilon <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be finite and > 0");
        }
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        firstMoments = Parameters.Select(p => new float[p.Value.Length]).ToArray();
        secondMoments = Parameters.Select(p => new float[p.Value.Length]).ToArray();
    }

    public float Beta1 { get; }

    public float Beta2 { get; }

    public float Epsilon { get; }

    protected override void Update(int index, Parameter parameter)
    {
        Span<float> w = parameter.Value.Data;
        ReadOnlySpan<float> g = parameter.Gradient.Data;
        Span<float> m = firstMoments[index];
        Span<float> v = secondMoments[index];
        // The bias corrections undo the zero start of m and v; computed in double since β₂ᵗ is close to 1.
        float c1 = (float)(1 - Math.Pow(Beta1, StepCount));
        float c2 = (float)(1 - Math.Pow(Beta2, StepCount));
        float lr = LearningRate;
        for (int i = 0; i < w.Length; i++)
        {
            m[i] = Beta1 * m[i] + (1 - Beta1) * g[i];
            v[i] = Beta2 * v[i] + (1 - Beta2) * g[i] * g[i];
            w[i] -= lr * (m[i] / c1) / (MathF.Sqrt(v[i] / c2) + Epsilon);
        }
    }
}

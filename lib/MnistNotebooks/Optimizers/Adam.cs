using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MnistNotebooks.Kernels;
using MnistNotebooks.Layers;

namespace MnistNotebooks.Optimizers;

/// <summary>Adam (Kingma &amp; Ba 2015), PyTorch's formulation: m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g²,
/// w ← w − α·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε), t = 1, 2, … Weight decay is L2 added to g (not AdamW).</summary>
public sealed class Adam : Optimizer
{
    private readonly float[][] firstMoments;
    private readonly float[][] secondMoments;

    public Adam(
        IEnumerable<Parameter> parameters,
        float learningRate,
        float beta1 = 0.9f,
        float beta2 = 0.999f,
        float epsilon = 1e-8f,
        float weightDecay = 0f
    )
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
        float lr = LearningRate,
            b1 = Beta1,
            b2 = Beta2,
            a1 = 1 - Beta1,
            a2 = 1 - Beta2,
            eps = Epsilon;
        // Vector lanes do exactly the scalar loop's operations in its order (no fused multiply-add), so the result is
        // bit-identical to the scalar rule on every vector width.
        int i = 0,
            n = w.Length;
        ref float wr = ref MemoryMarshal.GetReference(w);
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float vr = ref MemoryMarshal.GetReference(v);
        if (Simd.Bits >= 512)
        {
            for (; i <= n - 16; i += 16)
            {
                Vector512<float> gi = Vector512.LoadUnsafe(ref gr, (nuint)i);
                Vector512<float> mi = (b1 * Vector512.LoadUnsafe(ref mr, (nuint)i)) + (a1 * gi);
                Vector512<float> vi = (b2 * Vector512.LoadUnsafe(ref vr, (nuint)i)) + (a2 * gi * gi);
                mi.StoreUnsafe(ref mr, (nuint)i);
                vi.StoreUnsafe(ref vr, (nuint)i);
                Vector512<float> step = lr * (mi / c1) / (Vector512.Sqrt(vi / c2) + Vector512.Create(eps));
                (Vector512.LoadUnsafe(ref wr, (nuint)i) - step).StoreUnsafe(ref wr, (nuint)i);
            }
        }
        if (Simd.Bits >= 256)
        {
            for (; i <= n - 8; i += 8)
            {
                Vector256<float> gi = Vector256.LoadUnsafe(ref gr, (nuint)i);
                Vector256<float> mi = (b1 * Vector256.LoadUnsafe(ref mr, (nuint)i)) + (a1 * gi);
                Vector256<float> vi = (b2 * Vector256.LoadUnsafe(ref vr, (nuint)i)) + (a2 * gi * gi);
                mi.StoreUnsafe(ref mr, (nuint)i);
                vi.StoreUnsafe(ref vr, (nuint)i);
                Vector256<float> step = lr * (mi / c1) / (Vector256.Sqrt(vi / c2) + Vector256.Create(eps));
                (Vector256.LoadUnsafe(ref wr, (nuint)i) - step).StoreUnsafe(ref wr, (nuint)i);
            }
        }
        for (; i <= n - 4; i += 4)
        {
            Vector128<float> gi = Vector128.LoadUnsafe(ref gr, (nuint)i);
            Vector128<float> mi = (b1 * Vector128.LoadUnsafe(ref mr, (nuint)i)) + (a1 * gi);
            Vector128<float> vi = (b2 * Vector128.LoadUnsafe(ref vr, (nuint)i)) + (a2 * gi * gi);
            mi.StoreUnsafe(ref mr, (nuint)i);
            vi.StoreUnsafe(ref vr, (nuint)i);
            Vector128<float> step = lr * (mi / c1) / (Vector128.Sqrt(vi / c2) + Vector128.Create(eps));
            (Vector128.LoadUnsafe(ref wr, (nuint)i) - step).StoreUnsafe(ref wr, (nuint)i);
        }
        for (; i < n; i++)
        {
            m[i] = b1 * m[i] + a1 * g[i];
            v[i] = b2 * v[i] + a2 * g[i] * g[i];
            w[i] -= lr * (m[i] / c1) / (MathF.Sqrt(v[i] / c2) + eps);
        }
    }
}

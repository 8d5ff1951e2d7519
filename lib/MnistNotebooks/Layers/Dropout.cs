using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MnistNotebooks.Kernels;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Layers;

/// <summary>Inverted dropout (Srivastava et al. 2014): in training Y = X ⊙ M, M[i] = 1/(1 − p) with probability 1 − p and
/// 0 otherwise, drawn anew by every Forward; dX = dY ⊙ M. In evaluation Y = X and dX = dY, so nothing rescales at test time.</summary>
/// <remarks>The mask keeps element i when the generator's next 32-bit word u satisfies u ≥ p·2³²: the same seed gives the
/// same masks, call after call.</remarks>
public class Dropout<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> outputs = new();
    private readonly BufferCache<T> masks = new();
    private readonly BufferCache<T> inputGradients = new();
    private readonly RandomState rng;
    private readonly uint threshold;
    private Matrix<T>? mask;
    private bool masked;

    /// <param name="rate">p, the probability of dropping each element; in [0, 1).</param>
    /// <param name="seed">Seeds the layer's own generator.</param>
    /// <param name="name">A name to keep; null lets the model name it.</param>
    public Dropout(double rate, int seed, string? name = null)
        : base("dropout", name)
    {
        if (!(rate >= 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "Expected a dropout rate p in [0, 1)");
        }
        Rate = rate;
        Seed = seed;
        rng = new RandomState(seed);
        threshold = (uint)Math.Min(uint.MaxValue, Math.Round(rate * 4294967296.0));
    }

    public double Rate { get; }

    public int Seed { get; }

    /// <summary>Training: Y = X ⊙ M with a fresh mask; evaluation: Y = X (the input itself, not a copy).</summary>
    public override Matrix<T> Forward(Matrix<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        masked = Training && Rate > 0;
        if (!masked)
        {
            return input;
        }
        mask = masks.Get(input.Rows, input.Cols);
        DrawMask(mask.Data);
        Matrix<T> y = outputs.Get(input.Rows, input.Cols);
        ElementWise.Multiply<T>(input.Data, mask.Data, y.Data);
        return y;
    }

    /// <summary>dX = dY ⊙ M with the mask of the last Forward; dX = dY in evaluation.</summary>
    public override Matrix<T> Backward(Matrix<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (!masked)
        {
            return outputGradient;
        }
        Matrix<T> m = mask!;
        ShapeMismatchException.ThrowIfNot(outputGradient, m.Rows, m.Cols, "outputGradient");
        Matrix<T> dx = inputGradients.Get(m.Rows, m.Cols);
        ElementWise.Multiply<T>(outputGradient.Data, m.Data, dx.Data);
        return dx;
    }

    /// <summary>A copy with the same rate and seed (its generator starts afresh).</summary>
    public override Layer<TOther> Convert<TOther>() => new Dropout<TOther>(Rate, Seed, NameForCopy) { Training = Training };

    public override string ToString() => FormattableString.Invariant($"{Name}: Dropout(p = {Rate})");

    /// <summary>M[i] = u_i ≥ p·2³² ? 1/(1 − p) : 0, one 32-bit word per element, drawn in blocks.</summary>
    private void DrawMask(Span<T> m)
    {
        T keep = T.One / (T.One - T.CreateTruncating(Rate));
        Span<uint> words = stackalloc uint[WordBlock];
        for (int start = 0; start < m.Length; start += WordBlock)
        {
            Span<T> block = m.Slice(start, Math.Min(WordBlock, m.Length - start));
            Span<uint> u = words[..block.Length];
            rng.NextUInt32(u);
            int i = 0;
            if (typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated)
            {
                Span<float> f = MemoryMarshal.Cast<T, float>(block);
                Vector256<float> kept = Vector256.Create(float.CreateTruncating(keep));
                Vector256<uint> bar = Vector256.Create(threshold);
                for (; i <= u.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
                {
                    Vector256<uint> keepIt = Vector256.GreaterThanOrEqual(Vector256.Create(u.Slice(i, 8)), bar);
                    (keepIt.AsSingle() & kept).CopyTo(f.Slice(i, 8));
                }
            }
            for (; i < u.Length; i++)
            {
                block[i] = u[i] >= threshold ? keep : T.Zero;
            }
        }
    }

    private const int WordBlock = 1024; // 4 KB of words on the stack
}

/// <summary><see cref="Dropout{T}"/> in float32.</summary>
public sealed class Dropout(double rate, int seed, string? name = null) : Dropout<float>(rate, seed, name);

using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Optimizers;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Tests.Training;

// Minimal, allocation-free (after the first call per batch size) stand-ins for the real layers, loss and optimizer,
// written with plain loops so these tests do not depend on the kernels or on the layers work.

/// <summary>Y = X·W + b; W is (inputs, outputs), b is (1, outputs). dX = dY·Wᵀ, dW += Xᵀ·dY, db += Σ_rows dY.</summary>
internal sealed class TestLinear : Layer<float>
{
    private readonly Parameter<float> w,
        b;
    private Matrix<float>? input,
        output,
        inputGradient;

    public TestLinear(string name, int inputs, int outputs, RandomState rng, float scale = 0.1f)
        : base("linear", name)
    {
        var wv = new Matrix<float>(inputs, outputs);
        for (int i = 0; i < wv.Length; i++)
        {
            wv.Data[i] = (float)(rng.RandomSample() * 2 - 1) * scale;
        }
        w = AddParameter("W", wv);
        b = AddParameter("b", new Matrix<float>(1, outputs));
    }

    public Parameter<float> W => w;

    public override Layer<TOther> Convert<TOther>() => throw new NotSupportedException();

    public override Matrix<float> Forward(Matrix<float> x)
    {
        int n = x.Rows,
            k = x.Cols,
            m = w.Value.Cols;
        if (output is null || output.Rows != n)
        {
            output = new Matrix<float>(n, m);
        }
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < m; c++)
            {
                float s = b.Value.Data[c];
                for (int p = 0; p < k; p++)
                {
                    s += x.Data[r * k + p] * w.Value.Data[p * m + c];
                }
                output.Data[r * m + c] = s;
            }
        }
        input = x;
        return output;
    }

    public override Matrix<float> Backward(Matrix<float> dy)
    {
        Matrix<float> x = input!;
        int n = x.Rows,
            k = x.Cols,
            m = w.Value.Cols;
        if (inputGradient is null || inputGradient.Rows != n)
        {
            inputGradient = new Matrix<float>(n, k);
        }
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < m; c++)
            {
                float g = dy.Data[r * m + c];
                b.Gradient.Data[c] += g;
                for (int p = 0; p < k; p++)
                {
                    w.Gradient.Data[p * m + c] += x.Data[r * k + p] * g;
                }
            }
            for (int p = 0; p < k; p++)
            {
                float s = 0;
                for (int c = 0; c < m; c++)
                {
                    s += dy.Data[r * m + c] * w.Value.Data[p * m + c];
                }
                inputGradient.Data[r * k + p] = s;
            }
        }
        return inputGradient;
    }
}

/// <summary>Identity, except that its forward call number <c>nanAtCall</c> (1-based) writes NaN into element 0.</summary>
internal sealed class TestPoisonLayer(string name, int nanAtCall) : Layer<float>("poison", name)
{
    private Matrix<float>? output,
        inputGradient;
    public int Calls { get; private set; }

    public override Layer<TOther> Convert<TOther>() => throw new NotSupportedException();

    public override Matrix<float> Forward(Matrix<float> x)
    {
        Calls++;
        if (output is null || output.Rows != x.Rows)
        {
            output = new Matrix<float>(x.Rows, x.Cols);
        }
        x.Data.AsSpan().CopyTo(output.Data);
        if (Calls == nanAtCall)
        {
            output.Data[0] = float.NaN;
        }
        return output;
    }

    public override Matrix<float> Backward(Matrix<float> dy)
    {
        if (inputGradient is null || inputGradient.Rows != dy.Rows)
        {
            inputGradient = new Matrix<float>(dy.Rows, dy.Cols);
        }
        dy.Data.AsSpan().CopyTo(inputGradient.Data);
        return inputGradient;
    }
}

/// <summary>Y = 1 / (1 + e^(−X)); its kind lets diagnostics detect a sigmoid.</summary>
internal sealed class TestSigmoid(string name) : Layer<float>("sigmoid", name)
{
    private Matrix<float>? output;

    public override Layer<TOther> Convert<TOther>() => throw new NotSupportedException();

    public override Matrix<float> Forward(Matrix<float> x)
    {
        output = new Matrix<float>(x.Rows, x.Cols);
        for (int i = 0; i < x.Length; i++)
        {
            output.Data[i] = 1f / (1f + MathF.Exp(-x.Data[i]));
        }
        return output;
    }

    public override Matrix<float> Backward(Matrix<float> dy) => throw new NotSupportedException();
}

/// <summary>w −= α·g.</summary>
internal sealed class TestSgd(IEnumerable<Parameter<float>> parameters, float learningRate) : Optimizer<float>(parameters, learningRate, 0)
{
    protected override void Update(int index, Parameter<float> parameter)
    {
        float[] w = parameter.Value.Data,
            g = parameter.Gradient.Data;
        for (int i = 0; i < w.Length; i++)
        {
            w[i] -= (float)LearningRate * g[i];
        }
    }
}

/// <summary>Stable softmax cross-entropy: L = mean(−log p[label]); dZ = (p − onehot) / batch.</summary>
internal class TestSoftmaxCrossEntropy : ILoss<float>
{
    private Matrix<float>? probabilities,
        gradient;
    private int[]? labels;
    private int rows;

    public virtual float Forward(Matrix<float> z, ReadOnlySpan<int> y)
    {
        if (probabilities is null || probabilities.Rows != z.Rows || probabilities.Cols != z.Cols)
        {
            probabilities = new Matrix<float>(z.Rows, z.Cols);
            gradient = new Matrix<float>(z.Rows, z.Cols);
            labels = new int[z.Rows];
        }
        rows = z.Rows;
        y.CopyTo(labels);
        double loss = 0;
        for (int r = 0; r < z.Rows; r++)
        {
            Span<float> zr = z.Row(r),
                pr = probabilities.Row(r);
            float max = float.NegativeInfinity;
            foreach (float v in zr)
            {
                max = MathF.Max(max, v);
            }
            double sum = 0;
            for (int c = 0; c < zr.Length; c++)
            {
                pr[c] = MathF.Exp(zr[c] - max);
                sum += pr[c];
            }
            for (int c = 0; c < pr.Length; c++)
            {
                pr[c] = (float)(pr[c] / sum);
            }
            loss += -(zr[y[r]] - max - Math.Log(sum));
        }
        return (float)(loss / z.Rows);
    }

    public ILoss<TOther> Convert<TOther>()
        where TOther : unmanaged, System.Numerics.IFloatingPointIeee754<TOther> => throw new NotSupportedException();

    public Matrix<float> Backward()
    {
        Matrix<float> p = probabilities!,
            g = gradient!;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < p.Cols; c++)
            {
                g.Data[r * p.Cols + c] = (p.Data[r * p.Cols + c] - (c == labels![r] ? 1f : 0f)) / rows;
            }
        }
        return g;
    }
}

/// <summary>Softmax CE whose validation calls (recognised by their batch size) return a scripted sequence.</summary>
internal sealed class ScriptedValidationLoss(int validationRows, params float[] script) : TestSoftmaxCrossEntropy
{
    private int call;

    public override float Forward(Matrix<float> z, ReadOnlySpan<int> y)
    {
        float real = base.Forward(z, y);
        return z.Rows == validationRows ? script[call++] : real;
    }
}

/// <summary>Softmax CE whose training call number <c>nanAtCall</c> (1-based) returns NaN.</summary>
internal sealed class NanLossAt(int nanAtCall) : TestSoftmaxCrossEntropy
{
    private int call;

    public override float Forward(Matrix<float> z, ReadOnlySpan<int> y)
    {
        float real = base.Forward(z, y);
        return ++call >= nanAtCall ? float.NaN : real;
    }
}

internal static class TestData
{
    /// <summary>n points in [−1, 1]² labelled 1 when x₀ + x₁ &gt; 0, with a margin of 0.2 around the boundary.</summary>
    public static (Matrix<float> X, int[] Labels) Separable(int n, int seed)
    {
        var rng = new RandomState(seed);
        var x = new Matrix<float>(n, 2);
        var labels = new int[n];
        for (int i = 0; i < n; )
        {
            float a = (float)(rng.RandomSample() * 2 - 1),
                b = (float)(rng.RandomSample() * 2 - 1);
            if (MathF.Abs(a + b) < 0.2f)
            {
                continue;
            }
            x[i, 0] = a;
            x[i, 1] = b;
            labels[i] = a + b > 0 ? 1 : 0;
            i++;
        }
        return (x, labels);
    }

    /// <summary>A 2 → 4 → 2 linear model with weights drawn from <paramref name="seed"/>.</summary>
    public static Sequential Model(int seed, Layer<float>? middle = null)
    {
        var rng = new RandomState(seed);
        return middle is null
            ? new Sequential(new TestLinear("dense1", 2, 4, rng, 0.5f), new TestLinear("dense2", 4, 2, rng, 0.5f))
            : new Sequential(new TestLinear("dense1", 2, 4, rng, 0.5f), middle, new TestLinear("dense2", 4, 2, rng, 0.5f));
    }
}

using MnistNotebooks.Layers;
using MnistNotebooks.Losses;
using MnistNotebooks.Optimizers;

namespace MnistNotebooks.Tests.Training;

// Minimal, allocation-free (after the first call per batch size) stand-ins for the real layers, loss and optimizer,
// written with plain loops so these tests do not depend on the kernels or on the layers work.

/// <summary>Y = X·W + b; W is (inputs, outputs), b is (1, outputs). dX = dY·Wᵀ, dW += Xᵀ·dY, db += Σ_rows dY.</summary>
internal sealed class TestLinear : ILayer
{
    private readonly Parameter w,
        b;
    private Matrix? input,
        output,
        inputGradient;

    public TestLinear(string name, int inputs, int outputs, Random rng, float scale = 0.1f)
    {
        Name = name;
        var wv = new Matrix(inputs, outputs);
        for (int i = 0; i < wv.Length; i++)
        {
            wv.Data[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        }
        w = new Parameter(name + ".W", wv);
        b = new Parameter(name + ".b", new Matrix(1, outputs));
        Parameters = [w, b];
    }

    public string Name { get; }
    public IReadOnlyList<Parameter> Parameters { get; }
    public Parameter W => w;

    public Matrix Forward(Matrix x)
    {
        int n = x.Rows,
            k = x.Cols,
            m = w.Value.Cols;
        if (output is null || output.Rows != n)
        {
            output = new Matrix(n, m);
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

    public Matrix Backward(Matrix dy)
    {
        Matrix x = input!;
        int n = x.Rows,
            k = x.Cols,
            m = w.Value.Cols;
        if (inputGradient is null || inputGradient.Rows != n)
        {
            inputGradient = new Matrix(n, k);
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
internal sealed class TestPoisonLayer(string name, int nanAtCall) : ILayer
{
    private Matrix? output,
        inputGradient;
    public int Calls { get; private set; }

    public string Name { get; } = name;
    public IReadOnlyList<Parameter> Parameters { get; } = [];

    public Matrix Forward(Matrix x)
    {
        Calls++;
        if (output is null || output.Rows != x.Rows)
        {
            output = new Matrix(x.Rows, x.Cols);
        }
        x.Data.AsSpan().CopyTo(output.Data);
        if (Calls == nanAtCall)
        {
            output.Data[0] = float.NaN;
        }
        return output;
    }

    public Matrix Backward(Matrix dy)
    {
        if (inputGradient is null || inputGradient.Rows != dy.Rows)
        {
            inputGradient = new Matrix(dy.Rows, dy.Cols);
        }
        dy.Data.AsSpan().CopyTo(inputGradient.Data);
        return inputGradient;
    }
}

/// <summary>Y = 1 / (1 + e^(−X)); its type name lets diagnostics detect a sigmoid.</summary>
internal sealed class TestSigmoid(string name) : ILayer
{
    private Matrix? output;
    public string Name { get; } = name;
    public IReadOnlyList<Parameter> Parameters { get; } = [];

    public Matrix Forward(Matrix x)
    {
        output = new Matrix(x.Rows, x.Cols);
        for (int i = 0; i < x.Length; i++)
        {
            output.Data[i] = 1f / (1f + MathF.Exp(-x.Data[i]));
        }
        return output;
    }

    public Matrix Backward(Matrix dy) => throw new NotSupportedException();
}

/// <summary>w −= α·g.</summary>
internal sealed class TestSgd(IEnumerable<Parameter> parameters, float learningRate) : Optimizer(parameters, learningRate)
{
    protected override void Update(int index, Parameter parameter)
    {
        float[] w = parameter.Value.Data,
            g = parameter.Gradient.Data;
        for (int i = 0; i < w.Length; i++)
        {
            w[i] -= LearningRate * g[i];
        }
    }
}

/// <summary>Stable softmax cross-entropy: L = mean(−log p[label]); dZ = (p − onehot) / batch.</summary>
internal class TestSoftmaxCrossEntropy : ILoss
{
    private Matrix? probabilities,
        gradient;
    private int[]? labels;
    private int rows;

    public virtual float Forward(Matrix z, ReadOnlySpan<int> y)
    {
        if (probabilities is null || probabilities.Rows != z.Rows || probabilities.Cols != z.Cols)
        {
            probabilities = new Matrix(z.Rows, z.Cols);
            gradient = new Matrix(z.Rows, z.Cols);
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

    public Matrix Backward()
    {
        Matrix p = probabilities!,
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

    public override float Forward(Matrix z, ReadOnlySpan<int> y)
    {
        float real = base.Forward(z, y);
        return z.Rows == validationRows ? script[call++] : real;
    }
}

/// <summary>Softmax CE whose training call number <c>nanAtCall</c> (1-based) returns NaN.</summary>
internal sealed class NanLossAt(int nanAtCall) : TestSoftmaxCrossEntropy
{
    private int call;

    public override float Forward(Matrix z, ReadOnlySpan<int> y)
    {
        float real = base.Forward(z, y);
        return ++call >= nanAtCall ? float.NaN : real;
    }
}

internal static class TestData
{
    /// <summary>n points in [−1, 1]² labelled 1 when x₀ + x₁ &gt; 0, with a margin of 0.2 around the boundary.</summary>
    public static (Matrix X, int[] Labels) Separable(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new Matrix(n, 2);
        var labels = new int[n];
        for (int i = 0; i < n; )
        {
            float a = (float)(rng.NextDouble() * 2 - 1),
                b = (float)(rng.NextDouble() * 2 - 1);
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
    public static Sequential Model(int seed, ILayer? middle = null)
    {
        var rng = new Random(seed);
        return middle is null
            ? new Sequential(new TestLinear("dense1", 2, 4, rng, 0.5f), new TestLinear("dense2", 4, 2, rng, 0.5f))
            : new Sequential(new TestLinear("dense1", 2, 4, rng, 0.5f), middle, new TestLinear("dense2", 4, 2, rng, 0.5f));
    }
}

namespace MnistNotebooks.Kernels;

/// <summary>Element-wise and broadcast kernels. PLACEHOLDER scalar bodies: the kernels work vectorises them
/// and keeps these loops as the references.</summary>
public static class ElementWise
{
    /// <summary>X[r, c] += bias[c] for every row r; X is (rows, n), bias has length n.</summary>
    public static void AddRowVector(Matrix x, ReadOnlySpan<float> bias)
    {
        if (bias.Length != x.Cols)
        {
            throw new ShapeMismatchException($"Expected a bias of length {x.Cols} for X {x.Shape} but got {bias.Length}", nameof(bias));
        }
        for (int r = 0; r < x.Rows; r++)
        {
            Span<float> row = x.Row(r);
            for (int c = 0; c < row.Length; c++)
            {
                row[c] += bias[c];
            }
        }
    }

    /// <summary>sums[c] (+)= Σ_r X[r, c]: column sums, e.g. db += Σ_rows dY.</summary>
    public static void SumRows(Matrix x, Span<float> sums, bool accumulate = false)
    {
        if (sums.Length != x.Cols)
        {
            throw new ShapeMismatchException($"Expected {x.Cols} sums for X {x.Shape} but got {sums.Length}", nameof(sums));
        }
        if (!accumulate)
        {
            sums.Clear();
        }
        for (int r = 0; r < x.Rows; r++)
        {
            Span<float> row = x.Row(r);
            for (int c = 0; c < row.Length; c++)
            {
                sums[c] += row[c];
            }
        }
    }

    /// <summary>y = max(x, 0).</summary>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckSame(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] > 0 ? x[i] : 0;
        }
    }

    /// <summary>dx = dy where x &gt; 0, else 0.</summary>
    public static void ReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckSame(x.Length, dy.Length);
        CheckSame(x.Length, dx.Length);
        for (int i = 0; i < x.Length; i++)
        {
            dx[i] = x[i] > 0 ? dy[i] : 0;
        }
    }

    /// <summary>y = 1 / (1 + e^(−x)).</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckSame(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = 1f / (1f + MathF.Exp(-x[i]));
        }
    }

    /// <summary>dx = dy · y · (1 − y), where y = sigmoid(x) is the forward output.</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckSame(y.Length, dy.Length);
        CheckSame(y.Length, dx.Length);
        for (int i = 0; i < y.Length; i++)
        {
            dx[i] = dy[i] * y[i] * (1f - y[i]);
        }
    }

    /// <summary>y = tanh(x).</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckSame(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = MathF.Tanh(x[i]);
        }
    }

    /// <summary>dx = dy · (1 − y²), where y = tanh(x) is the forward output.</summary>
    public static void TanhBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckSame(y.Length, dy.Length);
        CheckSame(y.Length, dx.Length);
        for (int i = 0; i < y.Length; i++)
        {
            dx[i] = dy[i] * (1f - y[i] * y[i]);
        }
    }

    /// <summary>y += alpha · x.</summary>
    public static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        CheckSame(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] += alpha * x[i];
        }
    }

    /// <summary>x *= alpha.</summary>
    public static void Scale(Span<float> x, float alpha)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= alpha;
        }
    }

    /// <summary>Σ x², accumulated in double.</summary>
    public static double SumOfSquares(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (float v in x)
        {
            s += (double)v * v;
        }
        return s;
    }

    private static void CheckSame(int expected, int actual)
    {
        if (expected != actual)
        {
            throw new ArgumentException($"Expected spans of equal length but got {expected} and {actual}");
        }
    }
}

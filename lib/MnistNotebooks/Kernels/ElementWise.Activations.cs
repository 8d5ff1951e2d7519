namespace MnistNotebooks.Kernels;

/// <summary>Activations, their backward rules and bias + activation fused in one pass. Outputs may be the inputs.</summary>
public static partial class ElementWise
{
    /// <summary>y = max(x, 0) as numpy and PyTorch compute it: NaN stays NaN, so a blow-up is never hidden; −0 gives 0.</summary>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckSame(x.Length, y.Length);
        VectorLoops.Map(default(ReluOperator), x, y);
    }

    /// <summary>dx = dy where x &gt; 0, else 0. The forward output y = relu(x) works as x too.</summary>
    public static void ReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckSame(x.Length, dy.Length);
        CheckSame(x.Length, dx.Length);
        VectorLoops.Map(default(ReluBackwardOperator), x, dy, dx);
    }

    /// <summary>y = 1 / (1 + e^(−x)); vector exp, relative error below 1e-6.</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckSame(x.Length, y.Length);
        VectorLoops.Map(default(SigmoidOperator), x, y);
    }

    /// <summary>dx = dy · y · (1 − y), where y = sigmoid(x) is the forward output.</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckSame(y.Length, dy.Length);
        CheckSame(y.Length, dx.Length);
        VectorLoops.Map(default(SigmoidBackwardOperator), y, dy, dx);
    }

    /// <summary>y = tanh(x); vector exp, relative error below 1e-6.</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckSame(x.Length, y.Length);
        VectorLoops.Map(default(TanhOperator), x, y);
    }

    /// <summary>dx = dy · (1 − y²), where y = tanh(x) is the forward output.</summary>
    public static void TanhBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckSame(y.Length, dy.Length);
        CheckSame(y.Length, dx.Length);
        VectorLoops.Map(default(TanhBackwardOperator), y, dy, dx);
    }

    /// <summary>Y[r, c] = max(X[r, c] + bias[c], 0); X and Y are (rows, n) and Y may be X. Backward: ReluBackward on Y.</summary>
    public static void AddRowVectorRelu(Matrix x, ReadOnlySpan<float> bias, Matrix y) =>
        MapRows(new AddThenOperator<ReluOperator>(default), x, bias, y);

    /// <summary>Y[r, c] = sigmoid(X[r, c] + bias[c]); X and Y are (rows, n) and Y may be X.</summary>
    public static void AddRowVectorSigmoid(Matrix x, ReadOnlySpan<float> bias, Matrix y) =>
        MapRows(new AddThenOperator<SigmoidOperator>(default), x, bias, y);

    /// <summary>Y[r, c] = tanh(X[r, c] + bias[c]); X and Y are (rows, n) and Y may be X.</summary>
    public static void AddRowVectorTanh(Matrix x, ReadOnlySpan<float> bias, Matrix y) =>
        MapRows(new AddThenOperator<TanhOperator>(default), x, bias, y);

    /// <summary>dX = dY where Y &gt; 0, else 0, and biasGradient += Σ_rows dX: a ReLU layer's backward up to its matmuls.
    /// Y is the forward output (or input); all three matrices are (rows, n); dX may be dY.</summary>
    public static void ReluBackward(Matrix y, Matrix dy, Matrix dx, Span<float> biasGradient)
    {
        ArgumentNullException.ThrowIfNull(y);
        ShapeMismatchException.ThrowIfNot(dy, y.Rows, y.Cols, nameof(dy));
        ShapeMismatchException.ThrowIfNot(dx, y.Rows, y.Cols, nameof(dx));
        CheckSums(y, biasGradient, accumulate: true);
        for (int r = 0; r < y.Rows; r++)
        {
            Span<float> dxRow = dx.Row(r);
            VectorLoops.Map(default(ReluBackwardOperator), y.Row(r), dy.Row(r), dxRow);
            VectorLoops.Map(default(AddOperator), biasGradient, dxRow, biasGradient);
        }
    }

    private static void MapRows<TOp>(TOp op, Matrix x, ReadOnlySpan<float> bias, Matrix y)
        where TOp : struct, IBinaryOperator
    {
        CheckBias(x, bias);
        ShapeMismatchException.ThrowIfNot(y, x.Rows, x.Cols, nameof(y));
        for (int r = 0; r < x.Rows; r++)
        {
            VectorLoops.Map(op, x.Row(r), bias, y.Row(r));
        }
    }

    /// <summary>Reference for <see cref="Relu"/>.</summary>
    public static void ReluReference(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckSame(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = float.IsNaN(x[i]) ? x[i] : MathF.Max(x[i], 0f);
        }
    }

    /// <summary>Reference for <see cref="ReluBackward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>.</summary>
    public static void ReluBackwardReference(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckSame(x.Length, dy.Length);
        CheckSame(x.Length, dx.Length);
        for (int i = 0; i < x.Length; i++)
        {
            dx[i] = x[i] > 0 ? dy[i] : 0;
        }
    }

    /// <summary>Reference for <see cref="Sigmoid"/>.</summary>
    public static void SigmoidReference(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckSame(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = 1f / (1f + MathF.Exp(-x[i]));
        }
    }

    /// <summary>Reference for <see cref="SigmoidBackward"/>.</summary>
    public static void SigmoidBackwardReference(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckSame(y.Length, dy.Length);
        CheckSame(y.Length, dx.Length);
        for (int i = 0; i < y.Length; i++)
        {
            dx[i] = dy[i] * y[i] * (1f - y[i]);
        }
    }

    /// <summary>Reference for <see cref="Tanh"/>.</summary>
    public static void TanhReference(ReadOnlySpan<float> x, Span<float> y)
    {
        CheckSame(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = MathF.Tanh(x[i]);
        }
    }

    /// <summary>Reference for <see cref="TanhBackward"/>.</summary>
    public static void TanhBackwardReference(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckSame(y.Length, dy.Length);
        CheckSame(y.Length, dx.Length);
        for (int i = 0; i < y.Length; i++)
        {
            dx[i] = dy[i] * (1f - y[i] * y[i]);
        }
    }
}

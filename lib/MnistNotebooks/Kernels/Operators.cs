using System.Runtime.Intrinsics;

namespace MnistNotebooks.Kernels;

// The element-wise operators behind ElementWise: each says its formula once per path. The scalar paths equal the
// reference loops exactly; only sigmoid and tanh differ (vector exp, a few ulp).

/// <summary>x + y.</summary>
internal readonly struct AddOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x + y;

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => x + y;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x + y;

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x + y;
}

/// <summary>y + alpha·x (not fused, to match the reference exactly).</summary>
internal readonly struct AxpyOperator(float alpha) : IBinaryOperator
{
    public float Invoke(float x, float y) => y + (alpha * x);

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => y + (Vector128.Create(alpha) * x);

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => y + (Vector256.Create(alpha) * x);

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => y + (Vector512.Create(alpha) * x);
}

/// <summary>alpha·x.</summary>
internal readonly struct ScaleOperator(float alpha) : IUnaryOperator
{
    public float Invoke(float x) => x * alpha;

    public Vector128<float> Invoke(Vector128<float> x) => x * Vector128.Create(alpha);

    public Vector256<float> Invoke(Vector256<float> x) => x * Vector256.Create(alpha);

    public Vector512<float> Invoke(Vector512<float> x) => x * Vector512.Create(alpha);
}

/// <summary>x ≤ 0 ? 0 : x: NaN stays NaN (as in numpy and PyTorch), −0 gives +0.</summary>
internal readonly struct ReluOperator : IUnaryOperator
{
    public float Invoke(float x) => x <= 0 ? 0 : x;

    public Vector128<float> Invoke(Vector128<float> x) => Vector128.AndNot(x, Vector128.LessThanOrEqual(x, Vector128<float>.Zero));

    public Vector256<float> Invoke(Vector256<float> x) => Vector256.AndNot(x, Vector256.LessThanOrEqual(x, Vector256<float>.Zero));

    public Vector512<float> Invoke(Vector512<float> x) => Vector512.AndNot(x, Vector512.LessThanOrEqual(x, Vector512<float>.Zero));
}

/// <summary>x &gt; 0 ? dy : 0, with x the first input and dy the second.</summary>
internal readonly struct ReluBackwardOperator : IBinaryOperator
{
    public float Invoke(float x, float dy) => x > 0 ? dy : 0;

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy) => dy & Vector128.GreaterThan(x, Vector128<float>.Zero);

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) => dy & Vector256.GreaterThan(x, Vector256<float>.Zero);

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) => dy & Vector512.GreaterThan(x, Vector512<float>.Zero);
}

/// <summary>1 / (1 + e^(−x)).</summary>
internal readonly struct SigmoidOperator : IUnaryOperator
{
    public float Invoke(float x) => 1f / (1f + MathF.Exp(-x));

    public Vector128<float> Invoke(Vector128<float> x) => VectorMath.Sigmoid(x);

    public Vector256<float> Invoke(Vector256<float> x) => VectorMath.Sigmoid(x);

    public Vector512<float> Invoke(Vector512<float> x) => VectorMath.Sigmoid(x);
}

/// <summary>dy · y · (1 − y), with y the first input and dy the second.</summary>
internal readonly struct SigmoidBackwardOperator : IBinaryOperator
{
    public float Invoke(float y, float dy) => dy * y * (1f - y);

    public Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => dy * y * (Vector128<float>.One - y);

    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * y * (Vector256<float>.One - y);

    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * y * (Vector512<float>.One - y);
}

/// <summary>tanh x.</summary>
internal readonly struct TanhOperator : IUnaryOperator
{
    public float Invoke(float x) => MathF.Tanh(x);

    public Vector128<float> Invoke(Vector128<float> x) => VectorMath.Tanh(x);

    public Vector256<float> Invoke(Vector256<float> x) => VectorMath.Tanh(x);

    public Vector512<float> Invoke(Vector512<float> x) => VectorMath.Tanh(x);
}

/// <summary>dy · (1 − y²), with y the first input and dy the second.</summary>
internal readonly struct TanhBackwardOperator : IBinaryOperator
{
    public float Invoke(float y, float dy) => dy * (1f - (y * y));

    public Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => dy * (Vector128<float>.One - (y * y));

    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * (Vector256<float>.One - (y * y));

    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * (Vector512<float>.One - (y * y));
}

/// <summary>act(x + b): a bias add fused with an activation, in one pass over memory.</summary>
internal readonly struct AddThenOperator<TActivation>(TActivation activation) : IBinaryOperator
    where TActivation : struct, IUnaryOperator
{
    public float Invoke(float x, float b) => activation.Invoke(x + b);

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> b) => activation.Invoke(x + b);

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> b) => activation.Invoke(x + b);

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> b) => activation.Invoke(x + b);
}

/// <summary>(x − a) − b, in that order (log-softmax: z − max − log Σ).</summary>
internal readonly struct SubtractTwiceOperator(float a, float b) : IUnaryOperator
{
    public float Invoke(float x) => x - a - b;

    public Vector128<float> Invoke(Vector128<float> x) => x - Vector128.Create(a) - Vector128.Create(b);

    public Vector256<float> Invoke(Vector256<float> x) => x - Vector256.Create(a) - Vector256.Create(b);

    public Vector512<float> Invoke(Vector512<float> x) => x - Vector512.Create(a) - Vector512.Create(b);
}

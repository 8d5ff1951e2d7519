using System.Numerics;
using System.Runtime.CompilerServices;

namespace MnistNotebooks.Kernels;

// The element-wise operators behind ElementWise, each stating its formula once for every width. The float and double
// scalar paths equal the reference loops exactly; float exp, sigmoid and tanh differ from them by a few ulp (vector exp).

/// <summary>x + y.</summary>
internal readonly struct AddOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Invoke<TL>(TL x, TL y)
        where TL : struct, ILanes<TL, T> => x + y;
}

/// <summary>y + alpha·x (not fused, to match the reference exactly).</summary>
internal readonly struct AxpyOperator<T>(T alpha) : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Invoke<TL>(TL x, TL y)
        where TL : struct, ILanes<TL, T> => y + (TL.Create(alpha) * x);
}

/// <summary>x · alpha.</summary>
internal readonly struct ScaleOperator<T>(T alpha) : IUnaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Invoke<TL>(TL x)
        where TL : struct, ILanes<TL, T> => x * TL.Create(alpha);
}

/// <summary>x ≤ 0 ? 0 : x: NaN stays NaN (as in numpy and PyTorch), −0 gives +0.</summary>
internal readonly struct ReluOperator<T> : IUnaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Invoke<TL>(TL x)
        where TL : struct, ILanes<TL, T> => TL.Relu(x);
}

/// <summary>x &gt; 0 ? dy : 0, with x the first input (or the forward output) and dy the second.</summary>
internal readonly struct ReluBackwardOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Invoke<TL>(TL x, TL dy)
        where TL : struct, ILanes<TL, T> => TL.IfPositive(x, dy);
}

/// <summary>1 / (1 + e^(−x)).</summary>
internal readonly struct SigmoidOperator<T> : IUnaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Invoke<TL>(TL x)
        where TL : struct, ILanes<TL, T> => TL.Create(T.One) / (TL.Create(T.One) + TL.Exp(-x));
}

/// <summary>dy · y · (1 − y), with y the forward output (first input) and dy the second.</summary>
internal readonly struct SigmoidBackwardOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Invoke<TL>(TL y, TL dy)
        where TL : struct, ILanes<TL, T> => dy * y * (TL.Create(T.One) - y);
}

/// <summary>tanh x.</summary>
internal readonly struct TanhOperator<T> : IUnaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Invoke<TL>(TL x)
        where TL : struct, ILanes<TL, T> => TL.Tanh(x);
}

/// <summary>dy · (1 − y²), with y the forward output (first input) and dy the second.</summary>
internal readonly struct TanhBackwardOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Invoke<TL>(TL y, TL dy)
        where TL : struct, ILanes<TL, T> => dy * (TL.Create(T.One) - (y * y));
}

/// <summary>x · m, with the mask (or scale) m as the second input.</summary>
internal readonly struct MultiplyOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Invoke<TL>(TL x, TL m)
        where TL : struct, ILanes<TL, T> => x * m;
}

/// <summary>x − y.</summary>
internal readonly struct SubtractOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Invoke<TL>(TL x, TL y)
        where TL : struct, ILanes<TL, T> => x - y;
}

/// <summary>x / y.</summary>
internal readonly struct DivideOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Invoke<TL>(TL x, TL y)
        where TL : struct, ILanes<TL, T> => x / y;
}

/// <summary>e^x (float: vector exp within a few ulp; double: the runtime's exp, lane by lane).</summary>
internal readonly struct ExpOperator<T> : IUnaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TL Invoke<TL>(TL x)
        where TL : struct, ILanes<TL, T> => TL.Exp(x);
}

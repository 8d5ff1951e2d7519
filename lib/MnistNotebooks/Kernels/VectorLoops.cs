using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MnistNotebooks.Kernels;

/// <summary>y = f(x), element-wise, written once for every width.</summary>
internal interface IUnaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    TL Invoke<TL>(TL x)
        where TL : struct, ILanes<TL, T>;
}

/// <summary>z = f(x, y), element-wise, written once for every width.</summary>
internal interface IBinaryOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    TL Invoke<TL>(TL x, TL y)
        where TL : struct, ILanes<TL, T>;
}

/// <summary>An optimizer's rule for one element: updates the weight w and its state s (and t) from the gradient g.</summary>
internal interface IUpdateRule<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    void Invoke<TL>(ref TL w, TL g, ref TL s, ref TL t)
        where TL : struct, ILanes<TL, T>;
}

/// <summary>The loops that apply an operator: 512-bit vectors first, then 256, then 128, then a scalar tail, each
/// width only where <see cref="Simd.Bits"/> allows it. In-place use (an output that is an input) is allowed: each
/// element is read before it is written.</summary>
/// <remarks>The entry points are never inlined: each is compiled on its own, with the JIT's whole inlining budget for
/// its loops and the vector operators inside them. Inlined into a caller (seen: Optimizer.Step, once dynamic PGO
/// devirtualised Adam's Update), the budget ran out and the operators stayed calls, making Adam 30× slower in some
/// processes.</remarks>
internal static partial class VectorLoops
{
    /// <summary>y[i] = op(x[i]); the lengths are equal (checked by the caller). Long spans are split over threads.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Map<T, TOp>(TOp op, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryOperator<T>
    {
        if (!UnaryJob<T, TOp>.TryRun(op, x, y))
        {
            MapSerial(op, x, y);
        }
    }

    /// <summary>y[i] = op(x[i]) on the calling thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MapSerial<T, TOp>(TOp op, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryOperator<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length,
            i = 0;
        int bits = Simd.Bits;
        if (bits >= 512)
        {
            Map<T, TOp, Lanes512<T>>(op, ref xr, ref yr, ref i, n);
        }
        if (bits >= 256)
        {
            Map<T, TOp, Lanes256<T>>(op, ref xr, ref yr, ref i, n);
        }
        Map<T, TOp, Lanes128<T>>(op, ref xr, ref yr, ref i, n);
        Map<T, TOp, Scalar<T>>(op, ref xr, ref yr, ref i, n);
    }

    /// <summary>z[i] = op(x[i], y[i]); the lengths are equal (checked by the caller). Long spans are split over threads.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Map<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryOperator<T>
    {
        if (!BinaryJob<T, TOp>.TryRun(op, x, y, z))
        {
            MapSerial(op, x, y, z);
        }
    }

    /// <summary>z[i] = op(x[i], y[i]) on the calling thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MapSerial<T, TOp>(TOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryOperator<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T zr = ref MemoryMarshal.GetReference(z);
        nuint n = (nuint)x.Length,
            i = 0;
        int bits = Simd.Bits;
        if (bits >= 512)
        {
            Map<T, TOp, Lanes512<T>>(op, ref xr, ref yr, ref zr, ref i, n);
        }
        if (bits >= 256)
        {
            Map<T, TOp, Lanes256<T>>(op, ref xr, ref yr, ref zr, ref i, n);
        }
        Map<T, TOp, Lanes128<T>>(op, ref xr, ref yr, ref zr, ref i, n);
        Map<T, TOp, Scalar<T>>(op, ref xr, ref yr, ref zr, ref i, n);
    }

    /// <summary>rule(ref w[i], g[i], ref s[i], ref t[i]); s and t may be empty when the rule does not read them.
    /// Long spans are split over threads.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Update<T, TRule>(TRule rule, Span<T> w, ReadOnlySpan<T> g, Span<T> s, Span<T> t)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : struct, IUpdateRule<T>
    {
        if (!UpdateJob<T, TRule>.TryRun(rule, w, g, s, t))
        {
            UpdateSerial(rule, w, g, s, t);
        }
    }

    /// <summary>rule(ref w[i], g[i], ref s[i], ref t[i]) on the calling thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void UpdateSerial<T, TRule>(TRule rule, Span<T> w, ReadOnlySpan<T> g, Span<T> s, Span<T> t)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : struct, IUpdateRule<T>
    {
        ref T wr = ref MemoryMarshal.GetReference(w);
        ref T gr = ref MemoryMarshal.GetReference(g);
        // An empty state is read and written at the weights' place: a rule that ignores it leaves it as it was.
        ref T sr = ref s.IsEmpty ? ref wr : ref MemoryMarshal.GetReference(s);
        ref T tr = ref t.IsEmpty ? ref sr : ref MemoryMarshal.GetReference(t);
        nuint n = (nuint)w.Length,
            i = 0;
        int bits = Simd.Bits;
        if (bits >= 512)
        {
            Update<T, TRule, Lanes512<T>>(rule, ref wr, ref gr, ref sr, ref tr, ref i, n);
        }
        if (bits >= 256)
        {
            Update<T, TRule, Lanes256<T>>(rule, ref wr, ref gr, ref sr, ref tr, ref i, n);
        }
        Update<T, TRule, Lanes128<T>>(rule, ref wr, ref gr, ref sr, ref tr, ref i, n);
        Update<T, TRule, Scalar<T>>(rule, ref wr, ref gr, ref sr, ref tr, ref i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Map<T, TOp, TL>(TOp op, ref T x, ref T y, ref nuint i, nuint n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryOperator<T>
        where TL : struct, ILanes<TL, T>
    {
        nuint count = (nuint)TL.Count;
        for (; i + count <= n; i += count)
        {
            op.Invoke(TL.Load(ref x, i)).Store(ref y, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Map<T, TOp, TL>(TOp op, ref T x, ref T y, ref T z, ref nuint i, nuint n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryOperator<T>
        where TL : struct, ILanes<TL, T>
    {
        nuint count = (nuint)TL.Count;
        for (; i + count <= n; i += count)
        {
            op.Invoke(TL.Load(ref x, i), TL.Load(ref y, i)).Store(ref z, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update<T, TRule, TL>(TRule rule, ref T w, ref T g, ref T s, ref T t, ref nuint i, nuint n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TRule : struct, IUpdateRule<T>
        where TL : struct, ILanes<TL, T>
    {
        nuint count = (nuint)TL.Count;
        for (; i + count <= n; i += count)
        {
            TL wi = TL.Load(ref w, i),
                si = TL.Load(ref s, i),
                ti = TL.Load(ref t, i);
            rule.Invoke(ref wi, TL.Load(ref g, i), ref si, ref ti);
            ti.Store(ref t, i);
            si.Store(ref s, i);
            wi.Store(ref w, i);
        }
    }
}

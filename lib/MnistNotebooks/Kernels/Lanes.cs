using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MnistNotebooks.Kernels;

/// <summary>One scalar or one 128-, 256- or 512-bit vector of T with the operations the element-wise kernels need, so
/// that an operator states its formula once and <see cref="VectorLoops"/> runs it at every width (TensorPrimitives'
/// operator structs, with the four copies folded into one generic method).</summary>
internal interface ILanes<TSelf, T>
    where TSelf : struct, ILanes<TSelf, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract int Count { get; }
    static abstract TSelf Load(ref T source, nuint index);
    void Store(ref T destination, nuint index);
    static abstract TSelf Create(T value);

    static abstract TSelf operator +(TSelf x, TSelf y);

    static abstract TSelf operator -(TSelf x, TSelf y);

    static abstract TSelf operator *(TSelf x, TSelf y);

    static abstract TSelf operator /(TSelf x, TSelf y);

    static abstract TSelf operator -(TSelf x);

    static abstract TSelf Sqrt(TSelf x);

    /// <summary>e^x: <see cref="VectorMath"/>'s polynomial for float (a few ulp), at every width and in the scalar tail
    /// too, so an element's bits do not depend on where it falls; the runtime's exp lane by lane for double.</summary>
    static abstract TSelf Exp(TSelf x);

    /// <summary>tanh x: as <see cref="Exp"/>, the same polynomial for float in every lane and the tail.</summary>
    static abstract TSelf Tanh(TSelf x);

    /// <summary>x ≤ 0 ? 0 : x, so NaN stays NaN (numpy's maximum(x, 0)) and −0 gives +0.</summary>
    static abstract TSelf Relu(TSelf x);

    /// <summary>condition &gt; 0 ? value : 0 (a NaN condition gives 0).</summary>
    static abstract TSelf IfPositive(TSelf condition, TSelf value);
}

internal readonly struct Scalar<T>(T value) : ILanes<Scalar<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T value = value;

    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Load(ref T source, nuint index) => new(Unsafe.Add(ref source, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref T destination, nuint index) => Unsafe.Add(ref destination, index) = value;

    public static Scalar<T> Create(T value) => new(value);

    public static Scalar<T> operator +(Scalar<T> x, Scalar<T> y) => new(x.value + y.value);

    public static Scalar<T> operator -(Scalar<T> x, Scalar<T> y) => new(x.value - y.value);

    public static Scalar<T> operator *(Scalar<T> x, Scalar<T> y) => new(x.value * y.value);

    public static Scalar<T> operator /(Scalar<T> x, Scalar<T> y) => new(x.value / y.value);

    public static Scalar<T> operator -(Scalar<T> x) => new(-x.value);

    public static Scalar<T> Sqrt(Scalar<T> x) => new(T.Sqrt(x.value));

    // A float goes through the 128-bit polynomial rather than MathF: the tail then gives the bits a vector lane gives,
    // and which elements fall in the tail depends on the machine's vector width.
    public static Scalar<T> Exp(Scalar<T> x) =>
        typeof(T) == typeof(float)
            ? new(VectorMath.Exp(Vector128.Create(x.value).AsSingle()).As<float, T>().ToScalar())
            : new(T.Exp(x.value));

    public static Scalar<T> Tanh(Scalar<T> x) =>
        typeof(T) == typeof(float)
            ? new(VectorMath.Tanh(Vector128.Create(x.value).AsSingle()).As<float, T>().ToScalar())
            : new(T.Tanh(x.value));

    public static Scalar<T> Relu(Scalar<T> x) => new(x.value <= T.Zero ? T.Zero : x.value);

    public static Scalar<T> IfPositive(Scalar<T> condition, Scalar<T> value) => new(condition.value > T.Zero ? value.value : T.Zero);
}

internal readonly struct Lanes128<T>(Vector128<T> value) : ILanes<Lanes128<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector128<T> value = value;

    public static int Count => Vector128<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128<T> Load(ref T source, nuint index) => new(Vector128.LoadUnsafe(ref source, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref T destination, nuint index) => value.StoreUnsafe(ref destination, index);

    public static Lanes128<T> Create(T value) => new(Vector128.Create(value));

    public static Lanes128<T> operator +(Lanes128<T> x, Lanes128<T> y) => new(x.value + y.value);

    public static Lanes128<T> operator -(Lanes128<T> x, Lanes128<T> y) => new(x.value - y.value);

    public static Lanes128<T> operator *(Lanes128<T> x, Lanes128<T> y) => new(x.value * y.value);

    public static Lanes128<T> operator /(Lanes128<T> x, Lanes128<T> y) => new(x.value / y.value);

    public static Lanes128<T> operator -(Lanes128<T> x) => new(-x.value);

    public static Lanes128<T> Sqrt(Lanes128<T> x) => new(Vector128.Sqrt(x.value));

    public static Lanes128<T> Exp(Lanes128<T> x) =>
        typeof(T) == typeof(float)
            ? new(VectorMath.Exp(x.value.AsSingle()).As<float, T>())
            : new(VectorMath.Exp(x.value.AsDouble()).As<double, T>());

    public static Lanes128<T> Tanh(Lanes128<T> x) =>
        typeof(T) == typeof(float)
            ? new(VectorMath.Tanh(x.value.AsSingle()).As<float, T>())
            : new(VectorMath.Tanh(x.value.AsDouble()).As<double, T>());

    public static Lanes128<T> Relu(Lanes128<T> x) => new(Vector128.AndNot(x.value, Vector128.LessThanOrEqual(x.value, Vector128<T>.Zero)));

    public static Lanes128<T> IfPositive(Lanes128<T> condition, Lanes128<T> value) =>
        new(value.value & Vector128.GreaterThan(condition.value, Vector128<T>.Zero));
}

internal readonly struct Lanes256<T>(Vector256<T> value) : ILanes<Lanes256<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector256<T> value = value;

    public static int Count => Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256<T> Load(ref T source, nuint index) => new(Vector256.LoadUnsafe(ref source, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref T destination, nuint index) => value.StoreUnsafe(ref destination, index);

    public static Lanes256<T> Create(T value) => new(Vector256.Create(value));

    public static Lanes256<T> operator +(Lanes256<T> x, Lanes256<T> y) => new(x.value + y.value);

    public static Lanes256<T> operator -(Lanes256<T> x, Lanes256<T> y) => new(x.value - y.value);

    public static Lanes256<T> operator *(Lanes256<T> x, Lanes256<T> y) => new(x.value * y.value);

    public static Lanes256<T> operator /(Lanes256<T> x, Lanes256<T> y) => new(x.value / y.value);

    public static Lanes256<T> operator -(Lanes256<T> x) => new(-x.value);

    public static Lanes256<T> Sqrt(Lanes256<T> x) => new(Vector256.Sqrt(x.value));

    public static Lanes256<T> Exp(Lanes256<T> x) =>
        typeof(T) == typeof(float)
            ? new(VectorMath.Exp(x.value.AsSingle()).As<float, T>())
            : new(VectorMath.Exp(x.value.AsDouble()).As<double, T>());

    public static Lanes256<T> Tanh(Lanes256<T> x) =>
        typeof(T) == typeof(float)
            ? new(VectorMath.Tanh(x.value.AsSingle()).As<float, T>())
            : new(VectorMath.Tanh(x.value.AsDouble()).As<double, T>());

    public static Lanes256<T> Relu(Lanes256<T> x) => new(Vector256.AndNot(x.value, Vector256.LessThanOrEqual(x.value, Vector256<T>.Zero)));

    public static Lanes256<T> IfPositive(Lanes256<T> condition, Lanes256<T> value) =>
        new(value.value & Vector256.GreaterThan(condition.value, Vector256<T>.Zero));
}

internal readonly struct Lanes512<T>(Vector512<T> value) : ILanes<Lanes512<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector512<T> value = value;

    public static int Count => Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512<T> Load(ref T source, nuint index) => new(Vector512.LoadUnsafe(ref source, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref T destination, nuint index) => value.StoreUnsafe(ref destination, index);

    public static Lanes512<T> Create(T value) => new(Vector512.Create(value));

    public static Lanes512<T> operator +(Lanes512<T> x, Lanes512<T> y) => new(x.value + y.value);

    public static Lanes512<T> operator -(Lanes512<T> x, Lanes512<T> y) => new(x.value - y.value);

    public static Lanes512<T> operator *(Lanes512<T> x, Lanes512<T> y) => new(x.value * y.value);

    public static Lanes512<T> operator /(Lanes512<T> x, Lanes512<T> y) => new(x.value / y.value);

    public static Lanes512<T> operator -(Lanes512<T> x) => new(-x.value);

    public static Lanes512<T> Sqrt(Lanes512<T> x) => new(Vector512.Sqrt(x.value));

    public static Lanes512<T> Exp(Lanes512<T> x) =>
        typeof(T) == typeof(float)
            ? new(VectorMath.Exp(x.value.AsSingle()).As<float, T>())
            : new(VectorMath.Exp(x.value.AsDouble()).As<double, T>());

    public static Lanes512<T> Tanh(Lanes512<T> x) =>
        typeof(T) == typeof(float)
            ? new(VectorMath.Tanh(x.value.AsSingle()).As<float, T>())
            : new(VectorMath.Tanh(x.value.AsDouble()).As<double, T>());

    public static Lanes512<T> Relu(Lanes512<T> x) => new(Vector512.AndNot(x.value, Vector512.LessThanOrEqual(x.value, Vector512<T>.Zero)));

    public static Lanes512<T> IfPositive(Lanes512<T> condition, Lanes512<T> value) =>
        new(value.value & Vector512.GreaterThan(condition.value, Vector512<T>.Zero));
}

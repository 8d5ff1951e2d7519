using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace MnistNotebooks.Kernels;

/// <summary>Which vector width the kernels use (512, 256 or 128 bits; 128 is NEON on ARM) and a fused
/// multiply-add for each width that falls back to multiply + add where the CPU has no FMA.</summary>
internal static class Simd
{
    /// <summary>The widest width the hardware accelerates; 128 when none is (Vector128 then runs in software).</summary>
    internal static readonly int HardwareBits =
        Vector512.IsHardwareAccelerated ? 512
        : Vector256.IsHardwareAccelerated ? 256
        : 128;

    [ThreadStatic]
    private static int forcedBits;

    /// <summary>For tests: use at most this many bits on the calling thread (0 = no limit). A kernel reads it
    /// once on entry, so its worker threads follow the caller.</summary>
    internal static int ForcedBits
    {
        get => forcedBits;
        set => forcedBits = value is 0 or 128 or 256 or 512 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>The width to use now: the hardware width, narrowed by <see cref="ForcedBits"/>.</summary>
    internal static int Bits => forcedBits == 0 ? HardwareBits : Math.Min(forcedBits, HardwareBits);

    /// <summary>a·b + c, fused when the CPU can.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> MulAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    /// <summary>a·b + c, fused when the CPU can.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;

    /// <summary>a·b + c, fused when the CPU can (x86 FMA or ARM NEON).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> MulAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c)
        : AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(c, a, b)
        : (a * b) + c;

    /// <summary>a·b + c, fused when the CPU can.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> MulAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) =>
        Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    /// <summary>a·b + c, fused when the CPU can.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> MulAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;

    /// <summary>a·b + c, fused when the CPU can (x86 FMA or ARM64 NEON).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<double> MulAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c)
        : AdvSimd.Arm64.IsSupported ? AdvSimd.Arm64.FusedMultiplyAdd(c, a, b)
        : (a * b) + c;

    /// <summary>a·b + c in float or double (the generic kernels' FMA): the type test folds away when the JIT specialises.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<T> MulAdd<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c)
        where T : unmanaged =>
        typeof(T) == typeof(float) ? MulAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
        : typeof(T) == typeof(double) ? MulAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>()
        : (a * b) + c;

    /// <summary>a·b + c in float or double (the generic kernels' FMA).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> MulAdd<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c)
        where T : unmanaged =>
        typeof(T) == typeof(float) ? MulAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
        : typeof(T) == typeof(double) ? MulAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>()
        : (a * b) + c;

    /// <summary>a·b + c in float or double (the generic kernels' FMA).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<T> MulAdd<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c)
        where T : unmanaged =>
        typeof(T) == typeof(float) ? MulAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
        : typeof(T) == typeof(double) ? MulAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>()
        : (a * b) + c;
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MnistNotebooks.Kernels;

/// <summary>exp and tanh on vectors: float by polynomials accurate to a few ulp (relative error below 1e-6 against MathF);
/// double lane by lane with the runtime's Math.Exp and Math.Tanh, so double results equal the scalar references exactly.</summary>
/// <remarks>exp is Cephes' expf: n = round(x·log₂e), r = x − n·ln 2 (ln 2 in two parts, so r is exact), e^r by a
/// degree-6 polynomial, and 2ⁿ built from exponent bits as 2^⌊n/2⌋·2^(n−⌊n/2⌋) so that the denormal range and
/// x up to ln(float.MaxValue) stay exact. Beyond the range: 0 below −103.97, +∞ above 88.72, NaN stays NaN.
/// Each method is written once per width; the three copies differ only in the vector type.</remarks>
internal static class VectorMath
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f;
    private const float Ln2Lo = -2.12194440e-4f;
    private const float RoundMagic = 12582912f; // 1.5·2²³: adding and subtracting it rounds to an integer
    private const float ExpHi = 88.72284f;
    private const float ExpLo = -103.97208f;
    private const float P0 = 1.9875691500e-4f,
        P1 = 1.3981999507e-3f,
        P2 = 8.3334519073e-3f;
    private const float P3 = 4.1665795894e-2f,
        P4 = 1.6666665459e-1f,
        P5 = 5.0000001201e-1f;
    private const float TanhSmall = 0.625f; // below: Cephes' odd polynomial; above: 1 − 2/(e^2|x| + 1)
    private const float T0 = -5.70498872745e-3f,
        T1 = 2.06390887954e-2f,
        T2 = -5.37397155531e-2f;
    private const float T3 = 1.33314422036e-1f,
        T4 = -3.33332819422e-1f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Exp(Vector512<float> x)
    {
        Vector512<float> n = Simd.MulAdd(x, Vector512.Create(Log2E), Vector512.Create(RoundMagic)) - Vector512.Create(RoundMagic);
        Vector512<float> r = Simd.MulAdd(n, Vector512.Create(-Ln2Hi), x);
        r = Simd.MulAdd(n, Vector512.Create(-Ln2Lo), r);
        Vector512<float> p = Simd.MulAdd(Vector512.Create(P0), r, Vector512.Create(P1));
        p = Simd.MulAdd(p, r, Vector512.Create(P2));
        p = Simd.MulAdd(p, r, Vector512.Create(P3));
        p = Simd.MulAdd(p, r, Vector512.Create(P4));
        p = Simd.MulAdd(p, r, Vector512.Create(P5));
        p = Simd.MulAdd(p, r * r, r) + Vector512<float>.One;
        Vector512<int> ni = Vector512.ConvertToInt32(n);
        Vector512<int> half = Vector512.ShiftRightArithmetic(ni, 1);
        Vector512<float> s1 = Vector512.ShiftLeft(half + Vector512.Create(127), 23).AsSingle();
        Vector512<float> s2 = Vector512.ShiftLeft(ni - half + Vector512.Create(127), 23).AsSingle();
        Vector512<float> e = p * s1 * s2;
        e = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(ExpHi)), Vector512.Create(float.PositiveInfinity), e);
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(ExpLo)), Vector512<float>.Zero, e);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Exp(Vector256<float> x)
    {
        Vector256<float> n = Simd.MulAdd(x, Vector256.Create(Log2E), Vector256.Create(RoundMagic)) - Vector256.Create(RoundMagic);
        Vector256<float> r = Simd.MulAdd(n, Vector256.Create(-Ln2Hi), x);
        r = Simd.MulAdd(n, Vector256.Create(-Ln2Lo), r);
        Vector256<float> p = Simd.MulAdd(Vector256.Create(P0), r, Vector256.Create(P1));
        p = Simd.MulAdd(p, r, Vector256.Create(P2));
        p = Simd.MulAdd(p, r, Vector256.Create(P3));
        p = Simd.MulAdd(p, r, Vector256.Create(P4));
        p = Simd.MulAdd(p, r, Vector256.Create(P5));
        p = Simd.MulAdd(p, r * r, r) + Vector256<float>.One;
        Vector256<int> ni = Vector256.ConvertToInt32(n);
        Vector256<int> half = Vector256.ShiftRightArithmetic(ni, 1);
        Vector256<float> s1 = Vector256.ShiftLeft(half + Vector256.Create(127), 23).AsSingle();
        Vector256<float> s2 = Vector256.ShiftLeft(ni - half + Vector256.Create(127), 23).AsSingle();
        Vector256<float> e = p * s1 * s2;
        e = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(ExpHi)), Vector256.Create(float.PositiveInfinity), e);
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(ExpLo)), Vector256<float>.Zero, e);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Exp(Vector128<float> x)
    {
        Vector128<float> n = Simd.MulAdd(x, Vector128.Create(Log2E), Vector128.Create(RoundMagic)) - Vector128.Create(RoundMagic);
        Vector128<float> r = Simd.MulAdd(n, Vector128.Create(-Ln2Hi), x);
        r = Simd.MulAdd(n, Vector128.Create(-Ln2Lo), r);
        Vector128<float> p = Simd.MulAdd(Vector128.Create(P0), r, Vector128.Create(P1));
        p = Simd.MulAdd(p, r, Vector128.Create(P2));
        p = Simd.MulAdd(p, r, Vector128.Create(P3));
        p = Simd.MulAdd(p, r, Vector128.Create(P4));
        p = Simd.MulAdd(p, r, Vector128.Create(P5));
        p = Simd.MulAdd(p, r * r, r) + Vector128<float>.One;
        Vector128<int> ni = Vector128.ConvertToInt32(n);
        Vector128<int> half = Vector128.ShiftRightArithmetic(ni, 1);
        Vector128<float> s1 = Vector128.ShiftLeft(half + Vector128.Create(127), 23).AsSingle();
        Vector128<float> s2 = Vector128.ShiftLeft(ni - half + Vector128.Create(127), 23).AsSingle();
        Vector128<float> e = p * s1 * s2;
        e = Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(ExpHi)), Vector128.Create(float.PositiveInfinity), e);
        return Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(ExpLo)), Vector128<float>.Zero, e);
    }

    /// <summary>tanh x: x + x·s·P(s) with s = x² for |x| &lt; 0.625, else sign(x)·(1 − 2/(e^2|x| + 1)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Tanh(Vector512<float> x)
    {
        Vector512<float> ax = Vector512.Abs(x);
        Vector512<float> s = x * x;
        Vector512<float> p = Simd.MulAdd(Vector512.Create(T0), s, Vector512.Create(T1));
        p = Simd.MulAdd(p, s, Vector512.Create(T2));
        p = Simd.MulAdd(p, s, Vector512.Create(T3));
        p = Simd.MulAdd(p, s, Vector512.Create(T4));
        Vector512<float> small = Simd.MulAdd(p * s, x, x);
        Vector512<float> large = Vector512<float>.One - (Vector512.Create(2f) / (Exp(ax + ax) + Vector512<float>.One));
        large |= x & Vector512.Create(-0f);
        return Vector512.ConditionalSelect(Vector512.LessThan(ax, Vector512.Create(TanhSmall)), small, large);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Tanh(Vector256<float> x)
    {
        Vector256<float> ax = Vector256.Abs(x);
        Vector256<float> s = x * x;
        Vector256<float> p = Simd.MulAdd(Vector256.Create(T0), s, Vector256.Create(T1));
        p = Simd.MulAdd(p, s, Vector256.Create(T2));
        p = Simd.MulAdd(p, s, Vector256.Create(T3));
        p = Simd.MulAdd(p, s, Vector256.Create(T4));
        Vector256<float> small = Simd.MulAdd(p * s, x, x);
        Vector256<float> large = Vector256<float>.One - (Vector256.Create(2f) / (Exp(ax + ax) + Vector256<float>.One));
        large |= x & Vector256.Create(-0f);
        return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(TanhSmall)), small, large);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Tanh(Vector128<float> x)
    {
        Vector128<float> ax = Vector128.Abs(x);
        Vector128<float> s = x * x;
        Vector128<float> p = Simd.MulAdd(Vector128.Create(T0), s, Vector128.Create(T1));
        p = Simd.MulAdd(p, s, Vector128.Create(T2));
        p = Simd.MulAdd(p, s, Vector128.Create(T3));
        p = Simd.MulAdd(p, s, Vector128.Create(T4));
        Vector128<float> small = Simd.MulAdd(p * s, x, x);
        Vector128<float> large = Vector128<float>.One - (Vector128.Create(2f) / (Exp(ax + ax) + Vector128<float>.One));
        large |= x & Vector128.Create(-0f);
        return Vector128.ConditionalSelect(Vector128.LessThan(ax, Vector128.Create(TanhSmall)), small, large);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> Exp(Vector512<double> x) => Vector512.Create(Exp(x.GetLower()), Exp(x.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Exp(Vector256<double> x) => Vector256.Create(Exp(x.GetLower()), Exp(x.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<double> Exp(Vector128<double> x) => Vector128.Create(Math.Exp(x.GetElement(0)), Math.Exp(x.GetElement(1)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> Tanh(Vector512<double> x) => Vector512.Create(Tanh(x.GetLower()), Tanh(x.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Tanh(Vector256<double> x) => Vector256.Create(Tanh(x.GetLower()), Tanh(x.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<double> Tanh(Vector128<double> x) => Vector128.Create(Math.Tanh(x.GetElement(0)), Math.Tanh(x.GetElement(1)));
}

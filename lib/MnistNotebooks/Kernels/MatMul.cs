using System.Numerics;

namespace MnistNotebooks.Kernels;

/// <summary>Matrix products in the three forms backprop needs, in float or double. Each fast kernel has a scalar
/// reference twin that sums k in ascending order.</summary>
/// <remarks>The fast kernels pack, block and tile (see <see cref="Gemm"/>; <see cref="GemmReference"/> is the same loop nest in a few lines), use 512-, 256- or 128-bit vectors and up to
/// <see cref="Parallelism.MaxThreads"/> threads; their results do not depend on the thread count.</remarks>
public static class MatMul
{
    /// <summary>C = A·B (or C += A·B); A is (M, K), B is (K, N), C is (M, N).</summary>
    public static void Multiply<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (int m, int n, int k) = Check(a, false, b, false, c, "A·B");
        Gemm.Run(a.Data, false, b.Data, false, c.Data, m, n, k, accumulate);
    }

    /// <summary>C = Aᵀ·B (or C += Aᵀ·B); A is (K, M), B is (K, N), C is (M, N). Used for dW = Xᵀ·dY.</summary>
    public static void MultiplyTransposeA<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (int m, int n, int k) = Check(a, true, b, false, c, "Aᵀ·B");
        Gemm.Run(a.Data, true, b.Data, false, c.Data, m, n, k, accumulate);
    }

    /// <summary>C = A·Bᵀ (or C += A·Bᵀ); A is (M, K), B is (N, K), C is (M, N). Used for dX = dY·Wᵀ.</summary>
    public static void MultiplyTransposeB<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (int m, int n, int k) = Check(a, false, b, true, c, "A·Bᵀ");
        Gemm.Run(a.Data, false, b.Data, true, c.Data, m, n, k, accumulate);
    }

    /// <summary>Reference for <see cref="Multiply"/>: the textbook triple loop, summing k in ascending order.</summary>
    public static void MultiplyReference<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (int m, int n, int k) = Check(a, false, b, false, c, "A·B");
        GemmReference.Naive(a.Data, false, b.Data, false, c.Data, m, n, k, accumulate);
    }

    /// <summary>Reference for <see cref="MultiplyTransposeA"/>.</summary>
    public static void MultiplyTransposeAReference<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (int m, int n, int k) = Check(a, true, b, false, c, "Aᵀ·B");
        GemmReference.Naive(a.Data, true, b.Data, false, c.Data, m, n, k, accumulate);
    }

    /// <summary>Reference for <see cref="MultiplyTransposeB"/>.</summary>
    public static void MultiplyTransposeBReference<T>(Matrix<T> a, Matrix<T> b, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (int m, int n, int k) = Check(a, false, b, true, c, "A·Bᵀ");
        GemmReference.Naive(a.Data, false, b.Data, true, c.Data, m, n, k, accumulate);
    }

    /// <summary>Checks op(A)·op(B) → C, op transposing when asked: (m, k)·(k2, n) needs k = k2 and C (m, n). Returns
    /// (m, n, k). The operands are null-checked before their shapes are read.</summary>
    private static (int M, int N, int K) Check<T>(Matrix<T> a, bool transA, Matrix<T> b, bool transB, Matrix<T> c, string form)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(c);
        int m = transA ? a.Cols : a.Rows,
            k = transA ? a.Rows : a.Cols,
            k2 = transB ? b.Cols : b.Rows,
            n = transB ? b.Rows : b.Cols;
        if (k != k2)
        {
            throw new ShapeMismatchException(
                FormattableString.Invariant($"{form}: inner dimensions differ: A is {a.Shape}, B is {b.Shape} ({k} vs {k2})")
            );
        }
        if (c.Rows != m || c.Cols != n)
        {
            throw new ShapeMismatchException(
                FormattableString.Invariant($"{form}: expected C ({m}, {n}) but got {c.Shape} (A is {a.Shape}, B is {b.Shape})"),
                nameof(c)
            );
        }
        return (m, n, k);
    }
}

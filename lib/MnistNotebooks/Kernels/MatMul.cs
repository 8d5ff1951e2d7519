namespace MnistNotebooks.Kernels;

/// <summary>Matrix products in the three forms backprop needs. Each fast kernel has a scalar reference twin.</summary>
/// <remarks>The fast kernels pack, block and tile (see <see cref="Gemm"/>), use 512-, 256- or 128-bit vectors and up to
/// <see cref="Parallelism.MaxThreads"/> threads; their results do not depend on the thread count.</remarks>
public static class MatMul
{
    /// <summary>C = A·B (or C += A·B); A is (M, K), B is (K, N), C is (M, N).</summary>
    public static void Multiply(Matrix a, Matrix b, Matrix c, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Check(a.Rows, a.Cols, b.Rows, b.Cols, c, "A·B", a, b);
        Gemm.Run(a.Data, false, b.Data, false, c.Data, a.Rows, b.Cols, a.Cols, accumulate);
    }

    /// <summary>C = Aᵀ·B (or C += Aᵀ·B); A is (K, M), B is (K, N), C is (M, N). Used for dW = Xᵀ·dY.</summary>
    public static void MultiplyTransposeA(Matrix a, Matrix b, Matrix c, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Check(a.Cols, a.Rows, b.Rows, b.Cols, c, "Aᵀ·B", a, b);
        Gemm.Run(a.Data, true, b.Data, false, c.Data, a.Cols, b.Cols, a.Rows, accumulate);
    }

    /// <summary>C = A·Bᵀ (or C += A·Bᵀ); A is (M, K), B is (N, K), C is (M, N). Used for dX = dY·Wᵀ.</summary>
    public static void MultiplyTransposeB(Matrix a, Matrix b, Matrix c, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Check(a.Rows, a.Cols, b.Cols, b.Rows, c, "A·Bᵀ", a, b);
        Gemm.Run(a.Data, false, b.Data, true, c.Data, a.Rows, b.Rows, a.Cols, accumulate);
    }

    /// <summary>Reference for <see cref="Multiply"/>: the textbook triple loop, summing k in ascending order.</summary>
    public static void MultiplyReference(Matrix a, Matrix b, Matrix c, bool accumulate = false)
    {
        Check(a.Rows, a.Cols, b.Rows, b.Cols, c, "A·B", a, b);
        int m = a.Rows,
            k = a.Cols,
            n = b.Cols;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float s = 0;
                for (int p = 0; p < k; p++)
                {
                    s += a.Data[i * k + p] * b.Data[p * n + j];
                }
                c.Data[i * n + j] = accumulate ? c.Data[i * n + j] + s : s;
            }
        }
    }

    /// <summary>Reference for <see cref="MultiplyTransposeA"/>.</summary>
    public static void MultiplyTransposeAReference(Matrix a, Matrix b, Matrix c, bool accumulate = false)
    {
        Check(a.Cols, a.Rows, b.Rows, b.Cols, c, "Aᵀ·B", a, b);
        int k = a.Rows,
            m = a.Cols,
            n = b.Cols;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float s = 0;
                for (int p = 0; p < k; p++)
                {
                    s += a.Data[p * m + i] * b.Data[p * n + j];
                }
                c.Data[i * n + j] = accumulate ? c.Data[i * n + j] + s : s;
            }
        }
    }

    /// <summary>Reference for <see cref="MultiplyTransposeB"/>.</summary>
    public static void MultiplyTransposeBReference(Matrix a, Matrix b, Matrix c, bool accumulate = false)
    {
        Check(a.Rows, a.Cols, b.Cols, b.Rows, c, "A·Bᵀ", a, b);
        int m = a.Rows,
            k = a.Cols,
            n = b.Rows;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float s = 0;
                for (int p = 0; p < k; p++)
                {
                    s += a.Data[i * k + p] * b.Data[j * k + p];
                }
                c.Data[i * n + j] = accumulate ? c.Data[i * n + j] + s : s;
            }
        }
    }

    /// <summary>Checks (m, k)·(k2, n) → (m, n) where the operands are given as the effective (after transpose) shapes.</summary>
    internal static void Check(int m, int k, int k2, int n, Matrix c, string form, Matrix a, Matrix b)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (k != k2)
        {
            throw new ShapeMismatchException($"{form}: inner dimensions differ: A is {a.Shape}, B is {b.Shape} ({k} vs {k2})");
        }
        if (c.Rows != m || c.Cols != n)
        {
            throw new ShapeMismatchException(
                $"{form}: expected C ({m}, {n}) but got {c.Shape} (A is {a.Shape}, B is {b.Shape})",
                nameof(c)
            );
        }
    }
}

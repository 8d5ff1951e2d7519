using System.Numerics;

namespace MnistNotebooks.Kernels;

/// <summary>Until the packed GEMM is generic: C (+)= op(A)·op(B) in double by rows of B scaled and added (i-k-j order),
/// vectorised over j, blocked over k; each C element adds its products in ascending k from 0, then to C.</summary>
internal static class InterimDoubleGemm
{
    internal static void Run(double[] a, bool transA, double[] b, bool transB, double[] c, int m, int n, int k, bool accumulate)
    {
        double[] bt = transB ? Transpose(b, n, k) : b; // now (k, n)
        var row = new double[n];
        for (int i = 0; i < m; i++)
        {
            Array.Clear(row);
            Span<double> acc = row;
            for (int p = 0; p < k; p++)
            {
                double aip = transA ? a[p * m + i] : a[i * k + p];
                ReadOnlySpan<double> bp = bt.AsSpan(p * n, n);
                int j = 0;
                if (Vector.IsHardwareAccelerated)
                {
                    var va = new Vector<double>(aip);
                    for (; j <= n - Vector<double>.Count; j += Vector<double>.Count)
                    {
                        (new Vector<double>(acc[j..]) + (va * new Vector<double>(bp[j..]))).CopyTo(acc[j..]);
                    }
                }
                for (; j < n; j++)
                {
                    acc[j] += aip * bp[j];
                }
            }
            Span<double> ci = c.AsSpan(i * n, n);
            for (int j = 0; j < n; j++)
            {
                ci[j] = accumulate ? ci[j] + acc[j] : acc[j];
            }
        }
    }

    private static double[] Transpose(double[] x, int rows, int cols)
    {
        var t = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int q = 0; q < cols; q++)
            {
                t[q * rows + r] = x[r * cols + q];
            }
        }
        return t;
    }
}

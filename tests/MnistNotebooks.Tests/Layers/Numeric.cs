using MnistNotebooks.Randomness;

namespace MnistNotebooks.Tests.Layers;

/// <summary>The independent oracle: central differences in double over a function the test writes itself.</summary>
internal static class Numeric
{
    /// <summary>∂f/∂x_i ≈ (f(x + h·e_i) − f(x − h·e_i)) / 2h for every i.</summary>
    public static double[] Gradient(double[] x, Func<double[], double> f, double h = 1e-6)
    {
        var g = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double saved = x[i];
            x[i] = saved + h;
            double plus = f(x);
            x[i] = saved - h;
            double minus = f(x);
            x[i] = saved;
            g[i] = (plus - minus) / (2 * h);
        }
        return g;
    }

    public static double[] ToDouble(float[] x) => x.Select(v => (double)v).ToArray();

    public static Matrix<float> RandomMatrix(int rows, int cols, RandomState rng, double scale = 1) =>
        RandomMatrix<float>(rows, cols, rng, scale);

    public static Matrix<T> RandomMatrix<T>(int rows, int cols, RandomState rng, double scale = 1)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var m = new Matrix<T>(rows, cols);
        for (int i = 0; i < m.Length; i++)
        {
            m.Data[i] = T.CreateTruncating((rng.RandomSample() * 2 - 1) * scale);
        }
        return m;
    }

    /// <summary>Asserts |a − e| ≤ atol + rtol·|e| element by element, naming the first failing index.</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double atol = 1e-5, double rtol = 1e-4)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs(actual[i] - expected[i]);
            Assert.True(err <= atol + rtol * Math.Abs(expected[i]), $"element {i}: expected {expected[i]:G9} but got {actual[i]:G9}");
        }
    }

    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double atol = 1e-9, double rtol = 1e-9)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs(actual[i] - expected[i]);
            Assert.True(err <= atol + rtol * Math.Abs(expected[i]), $"element {i}: expected {expected[i]:G17} but got {actual[i]:G17}");
        }
    }
}

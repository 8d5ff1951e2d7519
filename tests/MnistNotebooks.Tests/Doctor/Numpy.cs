namespace MnistNotebooks.Tests.Doctor;

/// <summary>The few numpy idioms the ported setups use, on Matrix&lt;double&gt;.</summary>
internal static class Numpy
{
    public static Matrix<double> Sigmoid(Matrix<double> z) => 1.0 / (1.0 + (-z).Exp());

    public static Matrix<double> Relu(Matrix<double> z) => z.Maximum(0);

    /// <summary>(n, classes) one-hot rows.</summary>
    public static Matrix<double> OneHot(int[] labels, int classes = 10)
    {
        var y = new Matrix<double>(labels.Length, classes);
        for (int i = 0; i < labels.Length; i++)
        {
            y[i, labels[i]] = 1;
        }
        return y;
    }

    /// <summary>Σ over every element (numpy's pairwise order).</summary>
    public static double Sum(Matrix<double> m) => m.Sum();

    /// <summary>−mean over rows of log p[r, y_r].</summary>
    public static double MeanCrossEntropy(Matrix<double> p, int[] y, double divisor)
    {
        double s = 0;
        for (int r = 0; r < p.Rows; r++)
        {
            s -= Math.Log(p[r, y[r]]);
        }
        return s / divisor;
    }
}

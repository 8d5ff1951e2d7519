namespace MnistNotebooks.Doctor;

/// <summary>The scale of the inputs: root mean square over every feature, the largest |x|, and ‖x‖² of every sample.</summary>
internal sealed record InputStats(double Rms, double MaxAbs, double[] SquaredNorms, int NonFinite)
{
    public double MeanSquaredNorm => SquaredNorms.Average();

    public double MaxSquaredNorm => SquaredNorms.Max();

    public double MinSquaredNorm => SquaredNorms.Min();

    public static InputStats Of(Matrix<double> x)
    {
        var norms = new double[x.Rows];
        double total = 0,
            max = 0;
        int nonFinite = 0;
        for (int r = 0; r < x.Rows; r++)
        {
            double s = 0;
            foreach (double v in x.Row(r))
            {
                if (!double.IsFinite(v))
                {
                    nonFinite++;
                    continue;
                }
                s += v * v;
                max = Math.Max(max, Math.Abs(v));
            }
            norms[r] = s;
            total += s;
        }
        return new InputStats(Math.Sqrt(total / Math.Max(1, (double)x.Length)), max, norms, nonFinite);
    }
}

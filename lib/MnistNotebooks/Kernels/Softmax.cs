namespace MnistNotebooks.Kernels;

/// <summary>Row-wise softmax and log-softmax, stable: the row maximum is subtracted before exp.
/// PLACEHOLDER scalar bodies: the kernels work vectorises them and keeps these loops as references.</summary>
public static class Softmax
{
    /// <summary>P[r, :] = exp(Z[r, :] − max) / Σ exp(Z[r, :] − max); Z and P are (rows, classes).</summary>
    public static void Rows(Matrix logits, Matrix probabilities)
    {
        ShapeMismatchException.ThrowIfNot(probabilities, logits.Rows, logits.Cols, "probabilities");
        for (int r = 0; r < logits.Rows; r++)
        {
            Span<float> z = logits.Row(r);
            Span<float> p = probabilities.Row(r);
            float max = float.NegativeInfinity;
            foreach (float v in z)
            {
                max = MathF.Max(max, v);
            }
            float sum = 0;
            for (int c = 0; c < z.Length; c++)
            {
                p[c] = MathF.Exp(z[c] - max);
                sum += p[c];
            }
            float inv = 1f / sum;
            for (int c = 0; c < p.Length; c++)
            {
                p[c] *= inv;
            }
        }
    }

    /// <summary>L[r, :] = Z[r, :] − max − log Σ exp(Z[r, :] − max): log-softmax, finite for finite logits.</summary>
    public static void LogRows(Matrix logits, Matrix logProbabilities)
    {
        ShapeMismatchException.ThrowIfNot(logProbabilities, logits.Rows, logits.Cols, "logProbabilities");
        for (int r = 0; r < logits.Rows; r++)
        {
            Span<float> z = logits.Row(r);
            Span<float> l = logProbabilities.Row(r);
            float max = float.NegativeInfinity;
            foreach (float v in z)
            {
                max = MathF.Max(max, v);
            }
            double sum = 0;
            foreach (float v in z)
            {
                sum += Math.Exp(v - max);
            }
            float logSum = (float)Math.Log(sum);
            for (int c = 0; c < z.Length; c++)
            {
                l[c] = z[c] - max - logSum;
            }
        }
    }
}

namespace MnistNotebooks.Layers;

/// <summary>The textbook softmax the chapters start from, WITHOUT the max subtraction: P = exp(Z) / Σ_c exp(Z)
/// over each row; dZ = P ⊙ (dP − Σ_c dP ⊙ P). Deliberately unstable: in float32 exp overflows to +∞ above
/// about 88.72, and ∞/∞ = NaN. Use <see cref="Losses.SoftmaxCrossEntropy"/> for training.</summary>
public sealed class NaiveSoftmax : ILayer, IDoubleForward, IAutoNamed
{
    private readonly BufferCache outputs = new();
    private readonly BufferCache inputGradients = new();
    private Matrix? output;
    private bool autoNamed;

    public NaiveSoftmax(string? name = null)
    {
        if (name is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
        }
        autoNamed = name is null;
        Name = name ?? "softmax";
    }

    public string Name { get; private set; }

    public IReadOnlyList<Parameter> Parameters => [];

    /// <summary>P[r, c] = exp(Z[r, c]) / Σ_k exp(Z[r, k]) in float32, no max subtraction, no guard.</summary>
    public static void Rows(Matrix logits, Matrix probabilities)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ShapeMismatchException.ThrowIfNot(probabilities, logits.Rows, logits.Cols, "probabilities");
        for (int r = 0; r < logits.Rows; r++)
        {
            Span<float> z = logits.Row(r);
            Span<float> p = probabilities.Row(r);
            float sum = 0;
            for (int c = 0; c < z.Length; c++)
            {
                p[c] = MathF.Exp(z[c]);
                sum += p[c];
            }
            for (int c = 0; c < p.Length; c++)
            {
                p[c] /= sum;
            }
        }
    }

    /// <summary>P[r, c] = exp(Z[r, c]) / Σ_k exp(Z[k, c]): normalised over the SAMPLES (each column sums to 1),
    /// numpy's <c>np.exp(z) / sum(np.exp(z))</c> on a (samples, classes) array: the wrong axis of seed 003.</summary>
    public static void Columns(Matrix logits, Matrix probabilities)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ShapeMismatchException.ThrowIfNot(probabilities, logits.Rows, logits.Cols, "probabilities");
        var sums = new float[logits.Cols];
        for (int i = 0; i < logits.Length; i++)
        {
            probabilities.Data[i] = MathF.Exp(logits.Data[i]);
            sums[i % logits.Cols] += probabilities.Data[i];
        }
        for (int i = 0; i < logits.Length; i++)
        {
            probabilities.Data[i] /= sums[i % logits.Cols];
        }
    }

    /// <summary>P = exp(Z) / Σ_c exp(Z) per row; Z and P are (batch, classes).</summary>
    public Matrix Forward(Matrix input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Matrix p = outputs.Get(input.Rows, input.Cols);
        Rows(input, p);
        output = p;
        return p;
    }

    /// <summary>dZ = P ⊙ (dP − Σ_c dP ⊙ P) per row (the softmax Jacobian applied to dP).</summary>
    public Matrix Backward(Matrix outputGradient)
    {
        Matrix p = output ?? throw new InvalidOperationException($"Backward of '{Name}' was called before Forward");
        ShapeMismatchException.ThrowIfNot(outputGradient, p.Rows, p.Cols, "outputGradient");
        Matrix dz = inputGradients.Get(p.Rows, p.Cols);
        for (int r = 0; r < p.Rows; r++)
        {
            Span<float> pr = p.Row(r);
            Span<float> dp = outputGradient.Row(r);
            Span<float> dzr = dz.Row(r);
            float dot = 0;
            for (int c = 0; c < pr.Length; c++)
            {
                dot += dp[c] * pr[c];
            }
            for (int c = 0; c < pr.Length; c++)
            {
                dzr[c] = pr[c] * (dp[c] - dot);
            }
        }
        return dz;
    }

    /// <summary>The same naive formula in double (which overflows only above about 709.78).</summary>
    public double[] ForwardDouble(double[] input, int batch, IReadOnlyDictionary<Parameter, double[]>? values = null)
    {
        int classes = DoubleKernels.CheckInput(input, batch, -1, Name);
        var p = new double[input.Length];
        for (int r = 0; r < batch; r++)
        {
            double sum = 0;
            for (int c = 0; c < classes; c++)
            {
                p[r * classes + c] = Math.Exp(input[r * classes + c]);
                sum += p[r * classes + c];
            }
            for (int c = 0; c < classes; c++)
            {
                p[r * classes + c] /= sum;
            }
        }
        return p;
    }

    public override string ToString() => $"{Name}: NaiveSoftmax";

    string IAutoNamed.Kind => "softmax";

    bool IAutoNamed.HasAutoName => autoNamed;

    void IAutoNamed.AssignName(string name)
    {
        Name = name;
        autoNamed = false;
    }
}

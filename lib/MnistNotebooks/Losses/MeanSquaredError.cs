using MnistNotebooks.Layers;

namespace MnistNotebooks.Losses;

/// <summary>Squared error against one-hot (or given) targets: L = scale·Σ_{r,c} (Out − Y)² / N, dOut = 2·scale·(Out − Y) / N,
/// N from <see cref="Reduction"/>. The default (scale 0.5, ÷ batch) is seed 004's cost <c>0.5·Σ(out − y)² / batch</c>,
/// whose gradient is (Out − Y) / batch; seed 001's raw <c>y − out</c> is −dOut for scale 0.5 with <see cref="MseReduction.Sum"/>.</summary>
public sealed class MeanSquaredError : ILoss, IDoubleLoss
{
    private readonly BufferCache oneHots = new();
    private readonly BufferCache gradients = new();
    private Matrix? output;
    private Matrix? target;

    public MeanSquaredError(double scale = 0.5, MseReduction reduction = MseReduction.MeanOverBatch)
    {
        if (!double.IsFinite(scale) || scale <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be finite and > 0");
        }
        if (!Enum.IsDefined(reduction))
        {
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction");
        }
        Scale = scale;
        Reduction = reduction;
    }

    /// <summary>The factor in front of Σ (Out − Y)²: 0.5 makes the gradient exactly Out − Y (before ÷ N).</summary>
    public double Scale { get; }

    public MseReduction Reduction { get; }

    /// <summary>L against one-hot targets Y[r, labels[r]] = 1; Out is (batch, classes).</summary>
    public float Forward(Matrix output, ReadOnlySpan<int> labels)
    {
        LossChecks.Labels(output, labels, "output");
        Matrix y = oneHots.Get(output.Rows, output.Cols);
        y.Clear();
        for (int r = 0; r < output.Rows; r++)
        {
            y.Data[r * output.Cols + labels[r]] = 1f;
        }
        return Forward(output, y);
    }

    /// <summary>L against arbitrary targets Y, same shape as Out (kept by reference until Backward).</summary>
    public float Forward(Matrix output, Matrix targets)
    {
        ArgumentNullException.ThrowIfNull(output);
        ShapeMismatchException.ThrowIfNot(targets, output.Rows, output.Cols, "targets");
        double sum = 0;
        for (int i = 0; i < output.Length; i++)
        {
            double d = (double)output.Data[i] - targets.Data[i];
            sum += d * d;
        }
        this.output = output;
        target = targets;
        return (float)(Scale * sum / Divisor(output.Rows, output.Cols));
    }

    /// <summary>dOut = 2·scale·(Out − Y) / N.</summary>
    public Matrix Backward()
    {
        Matrix o = output ?? throw new InvalidOperationException("Backward was called before Forward");
        Matrix y = target!;
        Matrix g = gradients.Get(o.Rows, o.Cols);
        float factor = (float)(2 * Scale / Divisor(o.Rows, o.Cols));
        for (int i = 0; i < o.Length; i++)
        {
            g.Data[i] = factor * (o.Data[i] - y.Data[i]);
        }
        return g;
    }

    /// <summary>The same loss in double against one-hot targets, the reference for gradient checks.</summary>
    public double ForwardDouble(double[] output, int batch, ReadOnlySpan<int> labels)
    {
        int classes = LossChecks.DoubleOutput(output, batch, labels);
        double sum = 0;
        for (int r = 0; r < batch; r++)
        {
            for (int c = 0; c < classes; c++)
            {
                double d = output[r * classes + c] - (c == labels[r] ? 1.0 : 0.0);
                sum += d * d;
            }
        }
        return Scale * sum / Divisor(batch, classes);
    }

    private double Divisor(int batch, int classes) =>
        Reduction switch
        {
            MseReduction.MeanOverBatch => batch,
            MseReduction.MeanOverElements => (double)batch * classes,
            _ => 1.0,
        };
}

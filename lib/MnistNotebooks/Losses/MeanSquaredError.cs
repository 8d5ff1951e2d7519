using System.Numerics;
using MnistNotebooks.Layers;

namespace MnistNotebooks.Losses;

/// <summary>Squared error against one-hot (or given) targets: L = scale·Σ_{r,c} (Out − Y)² / N, dOut = 2·scale·(Out − Y) / N,
/// N from <see cref="Reduction"/>. The default (scale 0.5, ÷ batch) is <c>0.5·Σ(out − y)² / batch</c>, whose gradient is
/// (Out − Y) / batch.</summary>
public class MeanSquaredError<T> : ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BufferCache<T> oneHots = new();
    private readonly BufferCache<T> gradients = new();
    private Matrix<T>? output;
    private Matrix<T>? target;

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
    public T Forward(Matrix<T> output, ReadOnlySpan<int> labels)
    {
        LossChecks.Labels(output, labels, "output");
        Matrix<T> y = oneHots.Get(output.Rows, output.Cols);
        y.Clear();
        for (int r = 0; r < output.Rows; r++)
        {
            y[r, labels[r]] = T.One;
        }
        return Forward(output, y);
    }

    /// <summary>L against arbitrary targets Y, same shape as Out (kept by reference until Backward); summed in double.</summary>
    public T Forward(Matrix<T> output, Matrix<T> targets)
    {
        ArgumentNullException.ThrowIfNull(output);
        ShapeMismatchException.ThrowIfNot(targets, output.Rows, output.Cols, "targets");
        double sum = 0;
        for (int i = 0; i < output.Length; i++)
        {
            double d = double.CreateTruncating(output.Data[i]) - double.CreateTruncating(targets.Data[i]);
            sum += d * d;
        }
        this.output = output;
        target = targets;
        return T.CreateTruncating(Scale * sum / Divisor(output.Rows, output.Cols));
    }

    /// <summary>dOut = 2·scale·(Out − Y) / N.</summary>
    public Matrix<T> Backward()
    {
        Matrix<T> o = output ?? throw new InvalidOperationException("Backward was called before Forward");
        Matrix<T> y = target!;
        Matrix<T> g = gradients.Get(o.Rows, o.Cols);
        T factor = T.CreateTruncating(2 * Scale / Divisor(o.Rows, o.Cols));
        for (int i = 0; i < o.Length; i++)
        {
            g.Data[i] = factor * (o.Data[i] - y.Data[i]);
        }
        return g;
    }

    public ILoss<TOther> Convert<TOther>()
        where TOther : unmanaged, IFloatingPointIeee754<TOther> => new MeanSquaredError<TOther>(Scale, Reduction);

    private double Divisor(int batch, int classes) =>
        Reduction switch
        {
            MseReduction.MeanOverBatch => batch,
            MseReduction.MeanOverElements => (double)batch * classes,
            _ => 1.0,
        };
}

/// <summary><see cref="MeanSquaredError{T}"/> in float32.</summary>
public sealed class MeanSquaredError(double scale = 0.5, MseReduction reduction = MseReduction.MeanOverBatch)
    : MeanSquaredError<float>(scale, reduction);

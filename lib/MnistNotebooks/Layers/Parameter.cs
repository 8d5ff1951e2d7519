using System.Numerics;

namespace MnistNotebooks.Layers;

/// <summary>A trainable tensor and its gradient, of the same shape. Backward adds into <see cref="Gradient"/>;
/// only the model's <see cref="Layer{T}.ZeroGradients"/> clears it.</summary>
/// <remarks>Clearing is deferred: a layer that computes the whole gradient in one pass writes it over the stale values
/// (<see cref="TakeGradientToAdd"/>) instead of adding to zeros written just before, which saves a pass over memory
/// every step. Every other reader of <see cref="Gradient"/> sees the zeros.</remarks>
public sealed class Parameter<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> gradient;
    private bool clearPending;

    internal Parameter(string role, Matrix<T> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        ArgumentNullException.ThrowIfNull(value);
        Role = role;
        Name = role;
        Value = value;
        gradient = new Matrix<T>(value.Rows, value.Cols);
    }

    /// <summary>What it is within its layer: <c>W</c> or <c>b</c>.</summary>
    public string Role { get; }

    /// <summary>A name unique within its model, e.g. <c>dense1.W</c>.</summary>
    public string Name { get; private set; }

    public Matrix<T> Value { get; }

    /// <summary>dL/dValue, the same shape as <see cref="Value"/>, summed over every Backward since the last clear.</summary>
    public Matrix<T> Gradient
    {
        get
        {
            if (clearPending)
            {
                gradient.Clear();
                clearPending = false;
            }
            return gradient;
        }
    }

    public override string ToString() => $"{Name} {Value.Shape}";

    internal void Rename(string layer) => Name = layer + "." + Role;

    /// <summary>Clears the gradient when it is next read or added to.</summary>
    internal void ClearGradient() => clearPending = true;

    /// <summary>The gradient for a caller that is about to add a whole gradient into it: <paramref name="overwrite"/>
    /// says that it is cleared and so must be written, not added to (writing x equals 0 + x: the result is the same).</summary>
    internal Matrix<T> TakeGradientToAdd(out bool overwrite)
    {
        overwrite = clearPending;
        clearPending = false;
        return gradient;
    }
}

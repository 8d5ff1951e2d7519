using System.Numerics;

namespace MnistNotebooks.Layers;

/// <summary>A trainable tensor and its gradient, of the same shape. Backward adds into <see cref="Gradient"/>;
/// only the model's <see cref="Layer{T}.ZeroGradients"/> clears it.</summary>
public sealed class Parameter<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    internal Parameter(string role, Matrix<T> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        ArgumentNullException.ThrowIfNull(value);
        Role = role;
        Name = role;
        Value = value;
        Gradient = new Matrix<T>(value.Rows, value.Cols);
    }

    /// <summary>What it is within its layer: <c>W</c> or <c>b</c>.</summary>
    public string Role { get; }

    /// <summary>A name unique within its model, e.g. <c>dense1.W</c>.</summary>
    public string Name { get; private set; }

    public Matrix<T> Value { get; }

    public Matrix<T> Gradient { get; }

    public override string ToString() => $"{Name} {Value.Shape}";

    internal void Rename(string layer) => Name = layer + "." + Role;
}

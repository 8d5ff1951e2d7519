namespace MnistNotebooks.Layers;

/// <summary>A trainable tensor and its gradient, of the same shape. Backward adds into <see cref="Gradient"/>;
/// only <see cref="ZeroGradient"/> clears it.</summary>
public sealed class Parameter
{
    public Parameter(string name, Matrix value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        Name = name;
        Value = value;
        Gradient = new Matrix(value.Rows, value.Cols);
    }

    /// <summary>A name unique within its model, e.g. <c>dense1.W</c>. Set once more when a model names its layer.</summary>
    public string Name { get; internal set; }

    public Matrix Value { get; }

    public Matrix Gradient { get; }

    public void ZeroGradient() => Gradient.Clear();

    public override string ToString() => $"{Name} {Value.Shape}";
}

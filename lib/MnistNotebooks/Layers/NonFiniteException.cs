namespace MnistNotebooks.Layers;

/// <summary>Thrown when a NaN or ±Infinity first appears; names the layer and the operation that produced it.</summary>
public sealed class NonFiniteException : ArithmeticException
{
    public NonFiniteException(string layer, string operation, int index, float value)
        : base($"{FormattableString.Invariant($"{value}")} appeared in {operation} of layer '{layer}' (element {index})")
    {
        Layer = layer;
        Operation = operation;
        Index = index;
        Value = value;
    }

    /// <summary>The layer (or loss) name, e.g. <c>dense2</c>.</summary>
    public string Layer { get; }

    /// <summary><c>forward</c>, <c>backward</c>, <c>loss</c> or <c>update</c>.</summary>
    public string Operation { get; }

    /// <summary>The flat index of the first non-finite element.</summary>
    public int Index { get; }

    public float Value { get; }

    /// <summary>Throws if <paramref name="values"/> holds a NaN or ±Infinity.</summary>
    public static void ThrowIfNonFinite(ReadOnlySpan<float> values, string layer, string operation)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new NonFiniteException(layer, operation, i, values[i]);
            }
        }
    }
}

using System.Globalization;
using System.Numerics;

namespace MnistNotebooks.Layers;

/// <summary>Thrown when a NaN or ±Infinity first appears; names the layer and the operation that produced it.</summary>
public sealed class NonFiniteException : ArithmeticException
{
    public NonFiniteException(string layer, string operation, int index, double value)
        : base(string.Create(CultureInfo.InvariantCulture, $"{value} appeared in {operation} of '{layer}' (element {index})"))
    {
        Layer = layer;
        Operation = operation;
        Index = index;
        Value = value;
    }

    /// <summary>The layer, loss or parameter name, e.g. <c>dense2</c>.</summary>
    public string Layer { get; }

    /// <summary><c>forward</c>, <c>backward</c>, <c>backward (gradient of …)</c>, <c>loss</c> or <c>update</c>.</summary>
    public string Operation { get; }

    /// <summary>The flat index of the first non-finite element.</summary>
    public int Index { get; }

    public double Value { get; }

    /// <summary>Throws if <paramref name="values"/> holds a NaN or ±Infinity.</summary>
    public static void ThrowIfNonFinite<T>(ReadOnlySpan<T> values, string layer, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = Matrix<T>.FirstNonFinite(values);
        if (i >= 0)
        {
            throw new NonFiniteException(layer, operation, i, double.CreateTruncating(values[i]));
        }
    }
}

using System.Numerics;

namespace MnistNotebooks.Layers;

/// <summary>Output buffers kept per shape, so that training at one batch size and evaluating at another
/// allocate once each and never again.</summary>
internal sealed class BufferCache<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    // A handful of shapes in practice (train batch, last partial batch, evaluation batch); cap it anyway.
    private const int MaxShapes = 8;
    private readonly Dictionary<(int Rows, int Cols), Matrix<T>> buffers = [];

    public Matrix<T> Get(int rows, int cols)
    {
        if (!buffers.TryGetValue((rows, cols), out Matrix<T>? m))
        {
            if (buffers.Count >= MaxShapes)
            {
                buffers.Clear();
            }
            m = new Matrix<T>(rows, cols);
            buffers.Add((rows, cols), m);
        }
        return m;
    }
}

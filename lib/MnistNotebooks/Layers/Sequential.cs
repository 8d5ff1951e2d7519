namespace MnistNotebooks.Layers;

/// <summary>Layers applied in order: Y = fₙ(…f₂(f₁(X))); Backward runs them in reverse.</summary>
public sealed class Sequential : ILayer
{
    private readonly ILayer[] layers;
    private readonly Parameter[] parameters;

    public Sequential(params ILayer[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0)
        {
            throw new ArgumentException("A Sequential needs at least one layer", nameof(layers));
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (ILayer layer in layers)
        {
            ArgumentNullException.ThrowIfNull(layer, nameof(layers));
            if (!names.Add(layer.Name))
            {
                throw new ArgumentException($"Two layers are named '{layer.Name}'; names must be unique", nameof(layers));
            }
        }
        this.layers = layers;
        parameters = layers.SelectMany(l => l.Parameters).ToArray();
        Outputs = new Matrix[layers.Length];
    }

    public string Name { get; init; } = "model";

    public IReadOnlyList<ILayer> Layers => layers;

    public IReadOnlyList<Parameter> Parameters => parameters;

    /// <summary>When true, Forward and Backward check every layer's result and throw
    /// <see cref="NonFiniteException"/> naming the first layer and operation that produced a NaN or ±Infinity.</summary>
    public bool CheckFinite { get; set; }

    /// <summary>The output of each layer in the last Forward (owned by the layers: read, do not keep).</summary>
    public IReadOnlyList<Matrix> Outputs { get; }

    public Matrix Forward(Matrix input)
    {
        Matrix x = input;
        var outputs = (Matrix[])Outputs;
        for (int i = 0; i < layers.Length; i++)
        {
            x = layers[i].Forward(x);
            outputs[i] = x;
            if (CheckFinite)
            {
                NonFiniteException.ThrowIfNonFinite(x.Data, layers[i].Name, "forward");
            }
        }
        return x;
    }

    public Matrix Backward(Matrix outputGradient)
    {
        Matrix g = outputGradient;
        for (int i = layers.Length - 1; i >= 0; i--)
        {
            g = layers[i].Backward(g);
            if (CheckFinite)
            {
                NonFiniteException.ThrowIfNonFinite(g.Data, layers[i].Name, "backward");
                foreach (Parameter p in layers[i].Parameters)
                {
                    NonFiniteException.ThrowIfNonFinite(p.Gradient.Data, layers[i].Name, $"backward (gradient of {p.Name})");
                }
            }
        }
        return g;
    }

    /// <summary>Sets every parameter gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (Parameter p in parameters)
        {
            p.ZeroGradient();
        }
    }
}

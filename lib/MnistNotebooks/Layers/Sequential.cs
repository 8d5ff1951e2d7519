namespace MnistNotebooks.Layers;

/// <summary>Layers applied in order: Y = fₙ(…f₂(f₁(X))); Backward runs them in reverse.</summary>
public sealed class Sequential : ILayer, IDoubleForward, IParameterBackward
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
        // Layers built without a name become dense1, relu1, dense2, … in model order.
        AutoNames.Assign(layers);
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

    public Matrix Backward(Matrix outputGradient) => Backward(outputGradient, inputGradient: true)!;

    /// <summary>Backward for training: every parameter gradient is accumulated exactly as by <see cref="Backward(Matrix)"/>,
    /// but the input gradient of the first layer is skipped when it is an <see cref="IParameterBackward"/>.</summary>
    public void BackwardParametersOnly(Matrix outputGradient) => Backward(outputGradient, inputGradient: false);

    private Matrix? Backward(Matrix outputGradient, bool inputGradient)
    {
        Matrix? g = outputGradient;
        for (int i = layers.Length - 1; i >= 0; i--)
        {
            if (i == 0 && !inputGradient && layers[0] is IParameterBackward first)
            {
                first.BackwardParametersOnly(g!);
                g = null;
            }
            else
            {
                g = layers[i].Backward(g!);
            }
            if (CheckFinite)
            {
                if (g is not null)
                {
                    NonFiniteException.ThrowIfNonFinite(g.Data, layers[i].Name, "backward");
                }
                foreach (Parameter p in layers[i].Parameters)
                {
                    // The message is built only on failure: this runs on every training step.
                    if (!p.Gradient.AllFinite())
                    {
                        NonFiniteException.ThrowIfNonFinite(p.Gradient.Data, layers[i].Name, $"backward (gradient of {p.Name})");
                    }
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

    /// <summary>Y = fₙ(…f₁(X)) in double through every layer's <see cref="IDoubleForward"/>, the reference for gradient checks.</summary>
    public double[] ForwardDouble(double[] input, int batch, IReadOnlyDictionary<Parameter, double[]>? values = null)
    {
        double[] x = input;
        foreach (ILayer layer in layers)
        {
            if (layer is not IDoubleForward d)
            {
                throw new NotSupportedException(
                    $"Layer '{layer.Name}' ({layer.GetType().Name}) has no double-precision forward (IDoubleForward)"
                );
            }
            x = d.ForwardDouble(x, batch, values);
        }
        return x;
    }
}

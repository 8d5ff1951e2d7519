using System.Globalization;
using System.Numerics;

namespace MnistNotebooks.Layers;

/// <summary>Layers applied in order: Y = fₙ(…f₂(f₁(X))); Backward runs them in reverse. Layers built without a name
/// are named by kind and position (dense1, relu1, dense2, …), so names are unique and read the same every run.</summary>
public class Sequential<T> : Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Layer<T>[] layers;
    private readonly Parameter<T>[] parameters;
    private readonly Matrix<T>[] outputs;
    private readonly Matrix<T>?[] inputGradients;

    public Sequential(params Layer<T>[] layers)
        : base("sequential", "model")
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0)
        {
            throw new ArgumentException("A Sequential needs at least one layer", nameof(layers));
        }
        foreach (Layer<T> layer in layers)
        {
            ArgumentNullException.ThrowIfNull(layer, nameof(layers));
        }
        NameLayers(layers);
        this.layers = layers;
        parameters = [.. layers.SelectMany(l => l.Parameters)];
        outputs = new Matrix<T>[layers.Length];
        inputGradients = new Matrix<T>?[layers.Length];
    }

    public IReadOnlyList<Layer<T>> Layers => layers;

    public override IReadOnlyList<Parameter<T>> Parameters => parameters;

    public override bool Training
    {
        get => layers[0].Training;
        set
        {
            foreach (Layer<T> layer in layers)
            {
                layer.Training = value;
            }
        }
    }

    /// <summary>When true, Forward and Backward check every layer's result and throw <see cref="NonFiniteException"/>
    /// naming the first layer and operation that produced a NaN or ±Infinity.</summary>
    public bool CheckFinite { get; set; }

    /// <summary>The output of each layer in the last Forward (owned by the layers: read, do not keep).</summary>
    public IReadOnlyList<Matrix<T>> Outputs => outputs;

    /// <summary>dL/dinput of each layer in the last Backward, the gradient flowing down into layer i (null for a first
    /// Dense layer after <see cref="BackwardParametersOnly"/>, which skips it; owned by the layers: read, do not keep).</summary>
    public IReadOnlyList<Matrix<T>?> InputGradients => inputGradients;

    public override Matrix<T> Forward(Matrix<T> input)
    {
        Matrix<T> x = input;
        for (int i = 0; i < layers.Length; i++)
        {
            x = layers[i].Forward(x);
            outputs[i] = x;
            if (CheckFinite)
            {
                NonFiniteException.ThrowIfNonFinite<T>(x.Data, layers[i].Name, "forward");
            }
        }
        return x;
    }

    public override Matrix<T> Backward(Matrix<T> outputGradient) => Backward(outputGradient, inputGradient: true)!;

    /// <summary>Backward for training: every parameter gradient is accumulated exactly as by <see cref="Backward(Matrix{T})"/>,
    /// but a first <see cref="Dense{T}"/> layer skips dX = dY·Wᵀ, which nobody reads.</summary>
    public void BackwardParametersOnly(Matrix<T> outputGradient) => Backward(outputGradient, inputGradient: false);

    /// <summary>A copy in another precision; each layer keeps its name and its mode (only Dropout keeps it by itself).</summary>
    public override Layer<TOther> Convert<TOther>() =>
        new Sequential<TOther>([.. layers.Select(l => ConvertKeepingMode<TOther>(l))]) { CheckFinite = CheckFinite };

    public override string ToString() => string.Join(" → ", layers.Select(l => l.ToString()));

    private Matrix<T>? Backward(Matrix<T> outputGradient, bool inputGradient)
    {
        Matrix<T>? g = outputGradient;
        for (int i = layers.Length - 1; i >= 0; i--)
        {
            if (i == 0 && !inputGradient && layers[0] is Dense<T> first)
            {
                first.BackwardParametersOnly(g!);
                g = null;
            }
            else
            {
                g = layers[i].Backward(g!);
            }
            inputGradients[i] = g;
            if (CheckFinite)
            {
                if (g is not null)
                {
                    NonFiniteException.ThrowIfNonFinite<T>(g.Data, layers[i].Name, "backward");
                }
                IReadOnlyList<Parameter<T>> ps = layers[i].Parameters;
                for (int k = 0; k < ps.Count; k++)
                {
                    if (!ps[k].Gradient.AllFinite())
                    {
                        NonFiniteException.ThrowIfNonFinite<T>(ps[k].Gradient.Data, layers[i].Name, $"backward (gradient of {ps[k].Name})");
                    }
                }
            }
        }
        return g;
    }

    private static Layer<TOther> ConvertKeepingMode<TOther>(Layer<T> layer)
        where TOther : unmanaged, IFloatingPointIeee754<TOther>
    {
        Layer<TOther> copy = layer.Convert<TOther>();
        copy.Training = layer.Training;
        return copy;
    }

    /// <summary>Names every layer built without a name kindN, skipping names the user chose; rejects duplicates.</summary>
    private static void NameLayers(Layer<T>[] layers)
    {
        var taken = new HashSet<string>(layers.Where(l => !l.HasAutomaticName).Select(l => l.Name), StringComparer.Ordinal);
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Layer<T> layer in layers.Where(l => l.HasAutomaticName))
        {
            string name;
            do
            {
                int n = counters.GetValueOrDefault(layer.Kind) + 1;
                counters[layer.Kind] = n;
                name = layer.Kind + n.ToString(CultureInfo.InvariantCulture);
            } while (!taken.Add(name));
            layer.TryAssignName(name);
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Layer<T> layer in layers)
        {
            if (!names.Add(layer.Name))
            {
                throw new ArgumentException($"Two layers are named '{layer.Name}'; names must be unique", nameof(layers));
            }
        }
    }
}

/// <summary><see cref="Sequential{T}"/> in float32: <c>new Sequential(new Dense(784, 300, rng), new Relu(), …)</c>.</summary>
public sealed class Sequential(params Layer<float>[] layers) : Sequential<float>(layers);

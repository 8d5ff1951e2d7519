using System.Numerics;

namespace MnistNotebooks.Layers;

/// <summary>A differentiable block: <see cref="Forward"/> caches what <see cref="Backward"/> needs; Backward returns
/// dL/dinput and adds parameter gradients into <see cref="Parameter{T}.Gradient"/> (+=), so only
/// <see cref="ZeroGradients"/> clears them. Returned matrices are owned by the layer and reused by the next call with
/// the same batch size: copy them to keep them.</summary>
public abstract class Layer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<Parameter<T>> parameters = [];
    private bool autoNamed;

    /// <param name="kind">The lower-case kind, e.g. <c>dense</c>: the default name, and the prefix of the names a
    /// <see cref="Sequential{T}"/> gives (dense1, dense2, …).</param>
    /// <param name="name">A name to keep; null lets the model name the layer by position.</param>
    protected Layer(string kind, string? name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        if (name is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
        }
        Kind = kind;
        Name = name ?? kind;
        autoNamed = name is null;
    }

    public string Kind { get; }

    /// <summary>A name unique within its model, e.g. <c>dense1</c>, used in diagnostics and error messages.</summary>
    public string Name { get; private set; }

    /// <summary>The trainable parameters, named <c>{Name}.{role}</c> (empty for activations).</summary>
    public virtual IReadOnlyList<Parameter<T>> Parameters => parameters;

    /// <summary>Training mode (the default) or evaluation mode; only layers such as Dropout behave differently.</summary>
    public virtual bool Training { get; set; } = true;

    /// <summary>Y = f(X); X is (batch, inputs), Y is (batch, outputs).</summary>
    public abstract Matrix<T> Forward(Matrix<T> input);

    /// <summary>dX from dY (batch, outputs), using what the last Forward cached; accumulates parameter gradients.</summary>
    public abstract Matrix<T> Backward(Matrix<T> outputGradient);

    /// <summary>A copy of this layer in another precision, with the same name and its parameters converted
    /// (float → double is exact): the gradient check runs a float model in double this way.</summary>
    public abstract Layer<TOther> Convert<TOther>()
        where TOther : unmanaged, IFloatingPointIeee754<TOther>;

    /// <summary>Sets every parameter gradient to zero: the one place gradients are cleared (lazily: see
    /// <see cref="Parameter{T}"/>).</summary>
    public void ZeroGradients()
    {
        IReadOnlyList<Parameter<T>> ps = Parameters;
        for (int i = 0; i < ps.Count; i++) // an index loop: foreach over the interface would allocate every step
        {
            ps[i].ClearGradient();
        }
    }

    public override string ToString() => $"{Name}: {GetType().Name.Split('`')[0]}";

    /// <summary>Registers a parameter of this layer under <c>{Name}.{role}</c>.</summary>
    protected Parameter<T> AddParameter(string role, Matrix<T> value)
    {
        var p = new Parameter<T>(role, value);
        p.Rename(Name);
        parameters.Add(p);
        return p;
    }

    /// <summary>The name a model gives a layer built without one; a name the user chose is kept.</summary>
    internal bool TryAssignName(string name)
    {
        if (!autoNamed)
        {
            return false;
        }
        Name = name;
        autoNamed = false;
        foreach (Parameter<T> p in parameters)
        {
            p.Rename(name);
        }
        return true;
    }

    internal bool HasAutomaticName => autoNamed;

    /// <summary>The name to give a converted copy: the same, unless the model is still to name this layer.</summary>
    protected string? NameForCopy => autoNamed ? null : Name;
}

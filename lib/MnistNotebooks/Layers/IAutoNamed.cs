namespace MnistNotebooks.Layers;

/// <summary>A layer built without a name: <see cref="Sequential"/> names it by kind and position
/// (dense1, relu1, dense2, …) so that names are unique within the model and read the same every run.</summary>
internal interface IAutoNamed
{
    /// <summary>The name prefix, e.g. <c>dense</c>.</summary>
    string Kind { get; }

    /// <summary>True until a model has assigned a name; a name given by the user is never replaced.</summary>
    bool HasAutoName { get; }

    void AssignName(string name);
}

internal static class AutoNames
{
    /// <summary>Names every auto-named layer kindN, skipping names the user already chose.</summary>
    public static void Assign(IReadOnlyList<ILayer?> layers)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (ILayer? layer in layers)
        {
            if (layer is not null && layer is not IAutoNamed { HasAutoName: true })
            {
                taken.Add(layer.Name);
            }
        }
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (ILayer? layer in layers)
        {
            if (layer is IAutoNamed { HasAutoName: true } auto)
            {
                string name;
                do
                {
                    int n = counters.GetValueOrDefault(auto.Kind) + 1;
                    counters[auto.Kind] = n;
                    name = FormattableString.Invariant($"{auto.Kind}{n}");
                } while (!taken.Add(name));
                auto.AssignName(name);
            }
        }
    }
}

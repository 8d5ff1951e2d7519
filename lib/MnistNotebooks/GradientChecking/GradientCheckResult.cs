namespace MnistNotebooks.GradientChecking;

/// <summary>The per-tensor rows of a gradient check; <see cref="ToString"/> gives one aligned line per tensor.</summary>
public sealed record GradientCheckResult(IReadOnlyList<TensorCheck> Tensors, CheckPrecision Precision, double Epsilon)
{
    /// <summary>True when every tensor passed.</summary>
    public bool Passed => Tensors.All(t => t.Passed);

    /// <summary>The names of the tensors that failed.</summary>
    public IReadOnlyList<string> Failed => Tensors.Where(t => !t.Passed).Select(t => t.Name).ToArray();

    /// <summary>The row for the tensor named <paramref name="name"/>, e.g. <c>dense1.W</c>.</summary>
    public TensorCheck this[string name] =>
        Tensors.FirstOrDefault(t => t.Name == name) ?? throw new KeyNotFoundException($"No tensor named '{name}' was checked");

    public override string ToString()
    {
        int width = Tensors.Count == 0 ? 0 : Tensors.Max(t => t.Label.Length);
        return string.Join('\n', Tensors.Select(t => t.Format(width)));
    }
}

using System.Collections;

namespace MnistNotebooks.Doctor;

/// <summary>Named parameter matrices in the order they were added, e.g. <c>new ParameterSet { ["w1"] = w1, ["b1"] = b1 }</c>.
/// The doctor clones the learner's set and hands only its own copies to the learner's functions, which must read the
/// parameters from the set they are given.</summary>
public sealed class ParameterSet : IEnumerable<KeyValuePair<string, Matrix<double>>>
{
    private readonly List<string> names = [];
    private readonly Dictionary<string, Matrix<double>> values = new(StringComparer.Ordinal);

    /// <summary>Gets a matrix by name, or adds (or replaces) one.</summary>
    public Matrix<double> this[string name]
    {
        get =>
            values.TryGetValue(name, out Matrix<double>? m)
                ? m
                : throw new KeyNotFoundException($"No parameter named '{name}'; the set holds {Describe()}");
        set
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
            ArgumentNullException.ThrowIfNull(value);
            if (!values.ContainsKey(name))
            {
                names.Add(name);
            }
            values[name] = value;
        }
    }

    public IReadOnlyList<string> Names => names;

    public int Count => names.Count;

    /// <summary>The number of scalars over every matrix.</summary>
    public long TotalLength => values.Values.Sum(m => (long)m.Length);

    public bool Contains(string name) => values.ContainsKey(name);

    /// <summary>A deep copy: new matrices with the same values, same names and order.</summary>
    public ParameterSet Clone()
    {
        var copy = new ParameterSet();
        foreach (string name in names)
        {
            copy[name] = values[name].Clone();
        }
        return copy;
    }

    /// <summary>e.g. <c>w1 (784, 20), b1 (1, 20)</c>.</summary>
    public string Describe() => names.Count == 0 ? "nothing" : string.Join(", ", names.Select(n => $"{n} {values[n].Shape}"));

    public override string ToString() => $"ParameterSet [{Describe()}]";

    public IEnumerator<KeyValuePair<string, Matrix<double>>> GetEnumerator() =>
        names.Select(n => new KeyValuePair<string, Matrix<double>>(n, values[n])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

using System.Text;

namespace NotebookRunner.Execution;

/// <summary>
/// A cell's outputs as VS Code builds them from the kernel's events: a stream write joins the stream output before it
/// (in a StringBuilder, so printing stays linear), a display update replaces the output shown under the same value id,
/// anything else is appended.
/// </summary>
public sealed class OutputList
{
    readonly List<object> _items = []; // CellOutput, or a StringBuilder-backed stream under construction
    readonly Dictionary<string, int> _byValueId = [];

    sealed record PendingStream(string Name, StringBuilder Text);

    public int Count => _items.Count;

    public void Write(string stream, string text)
    {
        if (_items.Count > 0 && _items[^1] is PendingStream last && last.Name == stream)
            last.Text.Append(text);
        else
            _items.Add(new PendingStream(stream, new StringBuilder(text)));
    }

    public void Display(IReadOnlyDictionary<string, string> data, string? valueId, bool update)
    {
        if (update && valueId is not null && _byValueId.TryGetValue(valueId, out var index))
        {
            _items[index] = new DisplayOutput(data);
            return;
        }
        if (valueId is not null)
            _byValueId[valueId] = _items.Count;
        _items.Add(new DisplayOutput(data));
    }

    public void Add(CellOutput output) => _items.Add(output);

    public IReadOnlyList<CellOutput> ToList() =>
        _items.Select(i => i is PendingStream s ? new StreamOutput(s.Name, s.Text.ToString()) : (CellOutput)i).ToArray();
}

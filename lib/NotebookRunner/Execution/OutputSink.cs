namespace NotebookRunner.Execution;

/// <summary>Collects one cell's outputs. Thread-safe: background threads of a cell may write to the console too.</summary>
public sealed class OutputSink
{
    readonly List<CellOutput> _outputs = [];
    readonly Lock _gate = new();

    /// <summary>The sink of the cell running on this logical call context (flows into tasks and threads the cell starts).</summary>
    static readonly AsyncLocal<OutputSink?> CurrentSink = new();

    public static OutputSink? Current
    {
        get => CurrentSink.Value;
        set => CurrentSink.Value = value;
    }

    public void Add(CellOutput output)
    {
        lock (_gate)
            _outputs.Add(output);
    }

    public void Write(string stream, string text)
    {
        if (text.Length == 0)
            return;
        lock (_gate)
        {
            if (_outputs.Count > 0 && _outputs[^1] is StreamOutput last && last.Name == stream)
                last.Text += text;
            else
                _outputs.Add(new StreamOutput(stream, text));
        }
    }

    public IReadOnlyList<CellOutput> Snapshot()
    {
        lock (_gate)
            return _outputs.ToArray();
    }
}

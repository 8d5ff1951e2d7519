namespace NotebookRunner.Execution;

/// <summary>What a cell produced, in the order produced; mapped one-to-one onto .ipynb outputs.</summary>
public abstract record CellOutput;

/// <summary>A display (display(), a returned value): mime type to formatted text. <see cref="Data"/> is replaced by DisplayedValue.Update.</summary>
public sealed record DisplayOutput : CellOutput
{
    public required IReadOnlyDictionary<string, string> Data { get; set; }
}

/// <summary>Console output: name is "stdout" or "stderr"; consecutive writes to one stream are joined.</summary>
public sealed record StreamOutput(string Name, string Text) : CellOutput
{
    public string Text { get; set; } = Text;
}

/// <summary>A compile error (ename "Error") or a runtime exception (ename its type name).</summary>
public sealed record ErrorOutput(string EName, string EValue, IReadOnlyList<string> Traceback) : CellOutput;

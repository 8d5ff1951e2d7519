namespace NotebookRunner.Execution;

/// <summary>What a cell produced, in the order the kernel published it; mapped one-to-one onto .ipynb outputs.</summary>
public abstract record CellOutput;

/// <summary>A display (display(), a returned value, a package list): mime type to formatted text, as VS Code receives it.</summary>
public sealed record DisplayOutput(IReadOnlyDictionary<string, string> Data) : CellOutput;

/// <summary>Console output: name is "stdout" or "stderr".</summary>
public sealed record StreamOutput(string Name, string Text) : CellOutput;

/// <summary>An error as VS Code stores it: ename "Error", evalue the kernel's whole message, traceback its lines.</summary>
public sealed record ErrorOutput(string EName, string EValue, IReadOnlyList<string> Traceback) : CellOutput
{
    public static ErrorOutput FromKernelMessage(string message) =>
        new("Error", message, Documents.VsCodeJson.Lines(message).Select(l => (string)l!).ToArray());
}

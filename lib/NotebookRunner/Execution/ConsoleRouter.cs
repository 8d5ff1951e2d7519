using System.Text;

namespace NotebookRunner.Execution;

/// <summary>
/// Console.Out / Console.Error replacements that send text to the running cell's <see cref="OutputSink"/>
/// and anything else (the runner's own output) to the original writer.
/// </summary>
public sealed class ConsoleRouter : TextWriter
{
    static readonly Lock Gate = new();
    static bool _installed;

    readonly TextWriter _fallback;
    readonly string _stream;

    ConsoleRouter(TextWriter fallback, string stream)
    {
        _fallback = fallback;
        _stream = stream;
    }

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Installs the routers once per process; idempotent.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (_installed) return;
            Console.SetOut(TextWriter.Synchronized(new ConsoleRouter(Console.Out, "stdout")));
            Console.SetError(TextWriter.Synchronized(new ConsoleRouter(Console.Error, "stderr")));
            _installed = true;
        }
    }

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        if (value is null) return;
        if (OutputSink.Current is { } sink) sink.Write(_stream, value);
        else _fallback.Write(value);
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write((value ?? "") + CoreNewLine.AsSpan().ToString());

    public override void Flush()
    {
        if (OutputSink.Current is null) _fallback.Flush();
    }
}

using System.Text;

namespace NotebookRunner.Execution;

/// <summary>
/// Console.Out / Console.Error replacements that send text to the running cell's <see cref="OutputSink"/>
/// and anything else (the runner's own output) to the original writer.
/// </summary>
public sealed class ConsoleRouter : TextWriter
{
    static readonly Lock Gate = new();

    readonly TextWriter _fallback;
    readonly string _stream;

    ConsoleRouter(TextWriter fallback, string stream)
    {
        _fallback = fallback;
        _stream = stream;
    }

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Puts routers in front of the current Console.Out and Console.Error unless they already are routers.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (Console.Out is not ConsoleRouter)
                Console.SetOut(new ConsoleRouter(Console.Out, "stdout"));
            if (Console.Error is not ConsoleRouter)
                Console.SetError(new ConsoleRouter(Console.Error, "stderr"));
        }
    }

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        if (value is null)
            return;
        if (OutputSink.Current is { } sink)
            sink.Write(_stream, value);
        else
            lock (Gate)
                _fallback.Write(value);
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write((value ?? "") + CoreNewLine.AsSpan().ToString());

    public override void Flush()
    {
        if (OutputSink.Current is null)
            lock (Gate)
                _fallback.Flush();
    }
}

namespace MnistNotebooks.Training;

/// <summary>An <see cref="IProgress{T}"/> that calls its action at once, on the training thread (unlike
/// <see cref="Progress{T}"/>, which posts to a synchronization context). In a notebook:
/// <c>var shown = "".Display(); trainer.Fit(x, y, new InlineProgress&lt;TrainingProgress&gt;(p =&gt; shown.Update(p.ToString())));</c></summary>
public sealed class InlineProgress<T>(Action<T> action) : IProgress<T>
{
    private readonly Action<T> action = action ?? throw new ArgumentNullException(nameof(action));

    public void Report(T value) => action(value);
}

/// <summary>Draws progress on a terminal: step reports overwrite one line (carriage return), each epoch end
/// leaves a finished line.</summary>
public sealed class ConsoleProgress(TextWriter? writer = null) : IProgress<TrainingProgress>
{
    private readonly TextWriter writer = writer ?? Console.Out;
    private int lastLength;

    public void Report(TrainingProgress value)
    {
        string line = value.ToString();
        writer.Write('\r');
        writer.Write(line.PadRight(lastLength));
        if (value.IsEpochEnd)
        {
            writer.WriteLine();
            lastLength = 0;
        }
        else
        {
            lastLength = line.Length;
        }
        writer.Flush();
    }
}

using Microsoft.DotNet.Interactive.Formatting;
using NotebookRunner.Execution;

namespace NotebookRunner.Kernel;

/// <summary>Formats values the way the C# kernel does and publishes them to the running cell.</summary>
public static class Display
{
    /// <summary>mime type → text, using the preferred mime types of the value's type unless mime types are given.</summary>
    public static IReadOnlyDictionary<string, string> Format(object? value, params string[] mimeTypes)
    {
        if (mimeTypes is null || mimeTypes.Length == 0)
        {
            mimeTypes = Formatter.GetPreferredMimeTypesFor(value?.GetType()).ToArray();
            if (mimeTypes.Length == 0)
                mimeTypes = [Formatter.DefaultMimeType];
        }
        var data = new Dictionary<string, string>();
        foreach (var mimeType in mimeTypes.Distinct())
            data[mimeType] = value.ToDisplayString(mimeType);
        return data;
    }

    public static DisplayedValue Publish(IReadOnlyDictionary<string, string> data)
    {
        var output = new DisplayOutput { Data = data };
        var sink = OutputSink.Current ?? throw new InvalidOperationException("display() was called outside a running notebook cell.");
        sink.Add(output);
        return new DisplayedValue(output);
    }
}

/// <summary>A value shown by display(); <see cref="Update"/> replaces what the output shows, as the kernel does.</summary>
public sealed class DisplayedValue
{
    readonly DisplayOutput _output;
    readonly string[] _mimeTypes;

    internal DisplayedValue(DisplayOutput output)
    {
        _output = output;
        _mimeTypes = output.Data.Keys.ToArray();
    }

    public void Update(object? newValue) => _output.Data = Display.Format(newValue, _mimeTypes);
}

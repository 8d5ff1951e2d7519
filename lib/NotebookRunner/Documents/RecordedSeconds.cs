using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookRunner.Documents;

/// <summary>
/// How long a notebook's last passing <c>update</c> took, kept in its metadata as <c>"runner": {"seconds": 412}</c> (whole
/// seconds) beside the tolerance, so the next run over many notebooks can start the longest first.
/// </summary>
public static class RecordedSeconds
{
    /// <summary>The recorded seconds; null for no record. A hand-edited value that is not a non-negative number is no record
    /// rather than an error: it only orders the start, and a notebook without a record is started first anyway.</summary>
    public static double? Read(JsonObject metadata)
    {
        if (metadata["runner"] is not JsonObject runner || runner["seconds"] is not JsonValue value)
            return null;
        if (value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue<double>(out var seconds))
            return null;
        return double.IsFinite(seconds) && seconds >= 0 ? seconds : null;
    }

    /// <summary>Records <paramref name="elapsed"/>, rounded to whole seconds, into the .ipynb's metadata (the object the
    /// writer serialises, which <see cref="Notebook.Metadata"/> is not when the file had none). A <c>runner</c> that is not
    /// an object is somebody else's value: it is left as it is, unrecorded.</summary>
    public static void Record(Notebook notebook, TimeSpan elapsed)
    {
        var json = notebook.Json ?? throw new InvalidOperationException("Only .ipynb notebooks record their run time.");
        var metadata = json["metadata"] as JsonObject ?? new JsonObject();
        json["metadata"] = metadata;
        if (metadata["runner"] is null)
            metadata["runner"] = new JsonObject();
        if (metadata["runner"] is JsonObject runner)
            runner["seconds"] = (int)Math.Min(int.MaxValue, Math.Round(elapsed.TotalSeconds, MidpointRounding.AwayFromZero));
    }
}

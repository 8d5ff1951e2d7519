using System.Text.Json;
using System.Text.Json.Serialization;

namespace NotebookRunner.Worker;

/// <summary>Runner → worker: run one cell in the notebook's kernel.</summary>
public sealed record CellRequest(int Cell, string Kernel, string Code);

/// <summary>
/// Worker → runner, one JSON object per line. <c>ready</c> once the kernel is up; for each cell its events as they come
/// (<c>stdout</c>/<c>stderr</c> text, <c>display</c> with its value id, <c>error</c>), then <c>done</c>.
/// </summary>
public sealed record WorkerMessage
{
    public required string Type { get; init; }
    public int Cell { get; init; }
    public string? Text { get; init; }
    public Dictionary<string, string>? Data { get; init; }
    public string? ValueId { get; init; }
    public bool Update { get; init; }

    /// <summary>done: whether the kernel reported CommandSucceeded.</summary>
    public bool Succeeded { get; init; }

    /// <summary>done after a failure: the exception's type and its base types (for <c>raises</c>), and its message chain.</summary>
    public string[]? ExceptionTypes { get; init; }
    public string? Message { get; init; }
}

public static class WorkerJson
{
    /// <summary>The default encoder escapes every non-ASCII character, lone surrogates included, so a surrogate pair the kernel
    /// split between two writes crosses the pipe intact and is joined again on the runner's side.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Read<T>(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(line, Options);
        }
        catch (JsonException)
        {
            return default; // not a protocol line (a banner, a stray write): ignored
        }
    }
}

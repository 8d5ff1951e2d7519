using System.Text.Json.Nodes;

namespace NotebookRunner.Tests;

/// <summary>Tests that touch process-wide state (Console.Out, the current directory, environment variables) run one at a
/// time, and alone: not beside the other tests either, which read the same state (a culture set in the environment for
/// one test reached another's worker). The rest run side by side, each notebook in its own worker process.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWide
{
    public const string Name = "process-wide state";
}

/// <summary>A copy of a fixture notebook in a fresh temp folder, so update mode can write to it.</summary>
sealed class Fixture : IDisposable
{
    public Fixture(params string[] names)
    {
        Directory.CreateDirectory(Folder);
        foreach (var name in names)
            File.Copy(Source(name), Path.Combine(Folder, name));
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "runner-tests-" + Guid.NewGuid().ToString("N"));

    public string this[string name] => Path.Combine(Folder, name);

    public static string Source(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public JsonObject Json(string name) => (JsonObject)JsonNode.Parse(File.ReadAllText(this[name]))!;

    /// <summary>Runs <paramref name="body"/> with the environment variable set (null: unset), then restores it. Only for
    /// tests in the <see cref="ProcessWide"/> collection: the variable reaches every worker started meanwhile.</summary>
    public static async Task WithVariable(string name, string? value, Func<Task> body)
    {
        var saved = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
        try
        {
            await body();
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, saved);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

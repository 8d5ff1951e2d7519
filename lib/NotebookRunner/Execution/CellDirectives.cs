using System.Text.RegularExpressions;

namespace NotebookRunner.Execution;

/// <summary>A package asked for by <c>#r "nuget: Name, Version"</c>; Version null means the newest available.</summary>
public sealed record PackageRequest(string Id, string? Version);

/// <summary>
/// A C# cell split into what the kernel handles before the code runs (<c>#r "nuget:"</c>, <c>#i</c>, <c>#!time</c>, a leading
/// <c>#!csharp</c>) and the code Roslyn compiles. Directive lines become blank lines so compile errors keep their line numbers.
/// </summary>
public sealed partial record CellDirectives(
    string Code,
    IReadOnlyList<PackageRequest> Packages,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> AssemblyPaths,
    bool Time,
    string? OtherKernel,
    string? UnsupportedMagic
)
{
    [GeneratedRegex("""^\s*#r\s+"nuget:\s*(?<id>[^,"\s]+)\s*(,\s*(?<version>[^"\s]*))?\s*"\s*$""")]
    private static partial Regex NuGetReference();

    [GeneratedRegex("""^\s*#i\s+"(?<source>[^"]*)"\s*$""")]
    private static partial Regex PackageSource();

    [GeneratedRegex("""^\s*#r\s+"(?<path>[^"]+)"\s*$""")]
    private static partial Regex AssemblyReference();

    [GeneratedRegex("""^\s*#!(?<name>[^\s]+)""")]
    private static partial Regex Magic();

    public static CellDirectives Parse(string source)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        var packages = new List<PackageRequest>();
        var sources = new List<string>();
        var paths = new List<string>();
        var time = false;
        string? otherKernel = null;
        string? unsupported = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (NuGetReference().Match(line) is { Success: true } nuget)
            {
                var version = nuget.Groups["version"].Value;
                packages.Add(new PackageRequest(nuget.Groups["id"].Value, version.Length == 0 ? null : version));
                lines[i] = "";
            }
            else if (PackageSource().Match(line) is { Success: true } feed)
            {
                sources.Add(feed.Groups["source"].Value);
                lines[i] = "";
            }
            else if (AssemblyReference().Match(line) is { Success: true } reference)
            {
                paths.Add(reference.Groups["path"].Value);
            }
            else if (Magic().Match(line) is { Success: true } magic)
            {
                var name = magic.Groups["name"].Value;
                var kernel = Documents.IpynbReader.Normalize(name);
                if (name == "time")
                    time = true;
                else if (kernel == "csharp") { }
                else if (IsKernelName(kernel))
                    otherKernel ??= kernel;
                else
                    unsupported ??= "#!" + name;
                lines[i] = "";
            }
        }
        return new CellDirectives(string.Join("\n", lines), packages, sources, paths, time, otherKernel, unsupported);
    }

    static bool IsKernelName(string name) =>
        name
            is "fsharp"
                or "pwsh"
                or "javascript"
                or "html"
                or "markdown"
                or "sql"
                or "kql"
                or "mermaid"
                or "http"
                or "value"
                or "python"
                or "r";
}

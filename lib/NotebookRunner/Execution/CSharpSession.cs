using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.Formatting;
using NotebookRunner.Kernel;

namespace NotebookRunner.Execution;

/// <summary>What one submission did: compile errors, or it ran (maybe throwing), maybe with a return value.</summary>
public sealed record SubmissionResult(IReadOnlyList<string> CompileErrors, Exception? Exception, bool HasReturnValue, object? ReturnValue);

/// <summary>
/// One notebook's C# script state, set up as the Polyglot C# kernel sets up its own: latest language version, Debug
/// optimisation, the kernel's default imports and references, resolvers based at the notebook's folder. Each cell continues
/// the previous state; a runtime exception keeps the variables assigned before it, a compile error keeps the previous state.
/// </summary>
public sealed class CSharpSession
{
    public static readonly string[] DefaultImports =
    [
        "System",
        "System.Text",
        "System.Collections",
        "System.Collections.Generic",
        "System.Threading.Tasks",
        "System.Linq",
    ];

    static readonly MethodInfo? HasReturnValueMethod = typeof(Script).GetMethod(
        "HasReturnValue",
        BindingFlags.Instance | BindingFlags.NonPublic
    );

    static readonly ConcurrentDictionary<string, byte> ProbeDirectories = new(StringComparer.Ordinal);
    static int _resolvingInstalled;

    readonly KernelGlobals _globals = new();
    readonly HashSet<string> _referencedDlls = new(StringComparer.OrdinalIgnoreCase);
    ScriptState<object?>? _state;

    public CSharpSession(string baseDirectory)
    {
        BaseDirectory = baseDirectory;
        InstallResolving();
        Options = ScriptOptions
            .Default.WithLanguageVersion(LanguageVersion.Latest)
            .WithOptimizationLevel(OptimizationLevel.Debug)
            .WithImports(DefaultImports.Append(typeof(DisplayExtensions).Namespace!))
            .WithReferences(FrameworkReferences())
            .AddReferences(
                typeof(Formatter).Assembly,
                typeof(Microsoft.AspNetCore.Html.IHtmlContent).Assembly,
                typeof(KernelGlobals).Assembly
            )
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(baseDirectory))
            .WithSourceResolver(new SourceFileResolver(ImmutableArray<string>.Empty, baseDirectory))
            .WithFilePath(Path.Combine(baseDirectory, "notebook.csx"))
            .WithEmitDebugInformation(false);
        Packages = new NuGetResolver(IsFrameworkAssembly);
    }

    public string BaseDirectory { get; }
    public ScriptOptions Options { get; private set; }
    public NuGetResolver Packages { get; }

    /// <summary>Names of the framework's assemblies (System.Text.Json, ...): packages never re-reference them.</summary>
    static readonly Lazy<HashSet<string>> FrameworkAssemblyNames = new(() =>
        FrameworkAssemblyPaths().Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase)
    );

    static bool IsFrameworkAssembly(string name) => FrameworkAssemblyNames.Value.Contains(name);

    /// <summary>The shared framework's managed assemblies: the trusted platform assemblies that sit beside System.Private.CoreLib.</summary>
    static IEnumerable<string> FrameworkAssemblyPaths()
    {
        var frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var tpa = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(
            Path.PathSeparator,
            StringSplitOptions.RemoveEmptyEntries
        );
        return tpa.Where(p =>
            string.Equals(Path.GetDirectoryName(p), frameworkDir, StringComparison.Ordinal)
                && !Path.GetFileName(p).StartsWith("System.Private.", StringComparison.Ordinal)
            || Path.GetFileName(p) == "System.Private.CoreLib.dll"
        );
    }

    static readonly Lazy<ImmutableArray<MetadataReference>> FrameworkMetadata = new(() =>
        [.. FrameworkAssemblyPaths().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))]
    );

    static ImmutableArray<MetadataReference> FrameworkReferences() => FrameworkMetadata.Value;

    /// <summary>Adds DLLs (from #r "nuget:") as references and lets their neighbours load.</summary>
    public void AddReferences(IEnumerable<string> dlls)
    {
        var added = dlls.Where(_referencedDlls.Add).ToArray();
        foreach (var dll in added)
            AddProbeDirectory(Path.GetDirectoryName(dll)!);
        if (added.Length > 0)
            Options = Options.AddReferences(added.Select(d => MetadataReference.CreateFromFile(d)));
    }

    /// <summary>Dependencies of a #r'd DLL load from the DLL's folder (the kernel gets this from its assembly load context).</summary>
    public static void AddProbeDirectory(string directory) => ProbeDirectories.TryAdd(Path.GetFullPath(directory), 0);

    static void InstallResolving()
    {
        if (Interlocked.Exchange(ref _resolvingInstalled, 1) == 1)
            return;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            foreach (var dir in ProbeDirectories.Keys)
            {
                var candidate = Path.Combine(dir, name.Name + ".dll");
                if (File.Exists(candidate))
                    return context.LoadFromAssemblyPath(candidate);
            }
            return null;
        };
    }

    /// <summary>Compiles and runs code on the current thread, continuing the notebook's state.</summary>
    public async Task<SubmissionResult> SubmitAsync(string code, CancellationToken cancellationToken = default)
    {
        try
        {
            var next = _state is null
                ? await CSharpScript
                    .Create<object?>(code, Options, typeof(KernelGlobals))
                    .RunAsync(_globals, catchException: _ => true, cancellationToken)
                : await _state.ContinueWithAsync<object?>(code, Options, catchException: _ => true, cancellationToken);
            _state = next;
            var hasReturnValue = next.Exception is null && HasReturnValueMethod?.Invoke(next.Script, null) is true;
            return new SubmissionResult([], next.Exception, hasReturnValue, next.ReturnValue);
        }
        catch (CompilationErrorException e)
        {
            var errors = e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(Describe).ToArray();
            return new SubmissionResult(errors.Length > 0 ? errors : [e.Message], null, false, null);
        }
    }

    /// <summary>"(line,col): error CSxxxx: message", as the kernel shows it (positions relative to the cell).</summary>
    static string Describe(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        var where = d.Location.IsInSource ? $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): " : "";
        return $"{where}{d.Severity.ToString().ToLowerInvariant()} {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NotebookRunner.Tests;

public sealed class DependencyLoadingTests
{
    /// <summary>Compiles a small library to a DLL, referencing the given DLLs.</summary>
    static void Compile(string path, string source, params string[] references)
    {
        var frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var refs = new[] { "System.Runtime.dll", "System.Private.CoreLib.dll" }
            .Select(f => MetadataReference.CreateFromFile(Path.Combine(frameworkDir, f)))
            .Concat(references.Select(r => MetadataReference.CreateFromFile(r)));
        var compilation = CSharpCompilation.Create(
            Path.GetFileNameWithoutExtension(path),
            [CSharpSyntaxTree.ParseText(source)],
            refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
        );
        var emit = compilation.Emit(path);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
    }

    [Fact]
    public async Task Reference_with_dependency_loads_the_dependency_from_beside_the_referenced_dll()
    {
        using var fixture = new Fixture("reference-with-dependency.ipynb");
        var libs = Directory.CreateDirectory(Path.Combine(fixture.Folder, "libs")).FullName;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var words = Path.Combine(libs, $"Words{suffix}.dll");
        Compile(words, $"public static class Words{suffix} {{ public static string Hello() => \"hello from a dependency\"; }}");
        Compile(
            Path.Combine(libs, "Greeter.dll"),
            $"public static class Greeter {{ public static string Greet() => Words{suffix}.Hello(); }}",
            words
        );

        var result = await Runner.RunAsync(fixture["reference-with-dependency.ipynb"]);
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        var display = Assert.IsType<Execution.DisplayOutput>(Assert.Single(result.Cells[0].Outputs));
        Assert.Equal("hello from a dependency", display.Data["text/plain"]);
    }
}

using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace MnistNotebooks.Charting;

/// <summary>Plotly.NET 6.0.0 is built against FSharp.Core 10.1, but the .NET Interactive kernel has loaded its own FSharp.Core
/// 10.0 before any notebook code runs, and a process holds one FSharp.Core: without this binding every chart fails with
/// <c>FileNotFoundException: FSharp.Core, Version=10.1.0.0</c>. Every member of FSharp.Core that Plotly.NET and
/// Plotly.NET.Interactive use exists in 10.0, so a request for any FSharp.Core version is answered with the one loaded.</summary>
internal static class FSharpCoreBinding
{
#pragma warning disable CA2255 // Installed when the library loads, before any Plotly.NET type is resolved: a static constructor would run too late.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Install() => AssemblyLoadContext.Default.Resolving += Resolve;

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == "FSharp.Core" ? AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core") : null;
}

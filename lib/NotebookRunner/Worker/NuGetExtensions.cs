using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;

namespace NotebookRunner.Worker;

/// <summary>
/// Kernel extensions shipped in NuGet packages (<c>interactive-extensions/dotnet/*.dll</c>, e.g. Plotly.NET.Interactive),
/// loaded after the command that added the package, as dotnet-interactive's KernelExtensionLoader and
/// PackageDirectoryExtensionLoader do (the tool's own code, not in a package), with the same displayed line.
/// </summary>
static class NuGetExtensions
{
    public static void Use(CompositeKernel kernel)
    {
        var added = new ConcurrentQueue<PackageAdded>();
        var loaded = new HashSet<string>(StringComparer.Ordinal);
        kernel.RegisterForDisposal(
            kernel.KernelEvents.OfType<PackageAdded>().Where(p => p.PackageReference.PackageRoot is not null).Subscribe(added.Enqueue)
        );
        kernel.AddMiddleware(
            async (command, context, next) =>
            {
                await next(command, context);
                while (added.TryDequeue(out var package))
                {
                    var folder = new DirectoryInfo(Path.Combine(package.PackageReference.PackageRoot, "interactive-extensions", "dotnet"));
                    if (!folder.Exists)
                        continue;
                    foreach (var dll in folder.GetFiles("*.dll", SearchOption.TopDirectoryOnly))
                    {
                        if (!loaded.Add(AssemblyName.GetAssemblyName(dll.FullName).FullName))
                            continue;
                        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(dll.FullName);
                        var types = assembly
                            .ExportedTypes.Where(t =>
                                !t.IsAbstract
                                && !t.IsInterface
                                && !t.IsGenericTypeDefinition
                                && typeof(IKernelExtension).IsAssignableFrom(t)
                            )
                            .ToArray();
                        if (types.Length > 0)
                            KernelInvocationContextExtensions.Display(context, $"Loading extensions from `{assembly.Location}`");
                        foreach (var type in types)
                        {
                            var extension = (IKernelExtension)Activator.CreateInstance(type)!;
                            try
                            {
                                await extension.OnLoadAsync(kernel);
                                context.Publish(new KernelExtensionLoaded(extension, context.Command));
                            }
                            catch (Exception e)
                            {
                                context.Publish(
                                    new ErrorProduced(
                                        $"Failed to load kernel extension \"{type.Name}\" from assembly {assembly.Location}",
                                        context.Command
                                    )
                                );
                                context.Fail(context.Command, new KernelExtensionLoadException(e));
                            }
                        }
                    }
                    var script = new FileInfo(Path.Combine(folder.FullName, "extension.dib"));
                    if (script.Exists)
                    {
                        KernelInvocationContextExtensions.Display(context, $"Loading extension script from `{script.FullName}`");
                        await kernel.LoadAndRunInteractiveDocument(script, context.Command);
                    }
                }
            }
        );
    }
}

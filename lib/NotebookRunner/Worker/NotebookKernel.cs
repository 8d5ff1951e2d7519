using System.Diagnostics;
using System.Reactive.Linq;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Directives;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace NotebookRunner.Worker;

/// <summary>
/// The kernel VS Code starts (<c>dotnet-interactive [vscode] stdio</c>, see its KernelBuilder), reduced to what a C#
/// notebook reaches: a CompositeKernel holding the C# kernel (<c>#r "nuget:"</c> and <c>#i</c>, the kernel helpers,
/// <c>#!who</c>, value sharing), the HTML and value kernels, <c>#!import</c>, <c>#!time</c>, and kernel extensions
/// loaded from NuGet packages; formatters set up as for VS Code's browser front end.
/// </summary>
public sealed class NotebookKernel : IDisposable
{
    readonly CompositeKernel _kernel;

    public NotebookKernel()
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective(
                (kernel, packages) =>
                {
                    kernel.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
                    return Task.CompletedTask;
                }
            )
            .UseKernelHelpers()
            .UseWho()
            .UseValueSharing();
        _kernel = new CompositeKernel();
        _kernel.Add(csharp, ["c#", "C#"]);
        _kernel.Add(new HtmlKernel());
        _kernel.Add(new KeyValueStoreKernel().UseWho());
        _kernel.UseImportMagicCommand();
        UseTime(_kernel);
        NuGetExtensions.Use(_kernel);
        _kernel.DefaultKernelName = "csharp";
        Formatter.DefaultMimeType = HtmlFormatter.MimeType;
        Formatter.SetPreferredMimeTypesFor(typeof(string), PlainTextFormatter.MimeType);
    }

    /// <summary>Submits a cell and reports its events as they are published, then <c>done</c>.</summary>
    public async Task RunAsync(CellRequest request, Action<WorkerMessage> send)
    {
        var command = new SubmitCode(request.Code, request.Kernel);
        var cell = request.Cell;
        WorkerMessage? done = null;
        // The kernel publishes each Write as its own event: consecutive writes to a stream are sent as one message (at the
        // next other event, at the end, or after 100 ms), which keeps printing linear and joins a surrogate pair that was
        // written in two parts (UTF-8 can only encode the whole character).
        var gate = new Lock();
        var pending = new System.Text.StringBuilder();
        string? pendingStream = null;
        void Flush()
        {
            lock (gate)
            {
                if (pendingStream is not null && pending.Length > 0)
                    send(
                        new()
                        {
                            Type = pendingStream,
                            Cell = cell,
                            Text = pending.ToString(),
                        }
                    );
                pending.Clear();
                pendingStream = null;
            }
        }
        void Stream(string name, string text)
        {
            lock (gate)
            {
                if (pendingStream != name)
                    Flush();
                pendingStream = name;
                pending.Append(text);
            }
        }
        using var timer = new Timer(_ => Flush(), null, 100, 100);
        using var subscription = _kernel.KernelEvents.Subscribe(e =>
        {
            if (e is not (StandardOutputValueProduced or StandardErrorValueProduced))
                Flush();
            switch (e)
            {
                case StandardOutputValueProduced o:
                    Stream("stdout", PlainText(o));
                    break;
                case StandardErrorValueProduced o:
                    Stream("stderr", PlainText(o));
                    break;
                case ErrorProduced error:
                    send(
                        new()
                        {
                            Type = "error",
                            Cell = cell,
                            Text = error.Message,
                        }
                    );
                    break;
                case DisplayEvent display when display is DisplayedValueProduced or DisplayedValueUpdated or ReturnValueProduced:
                    var data = display
                        .FormattedValues.Where(v => !v.SuppressDisplay)
                        .GroupBy(v => v.MimeType)
                        .ToDictionary(g => g.Key, g => g.Last().Value);
                    if (data.Count > 0)
                        send(
                            new()
                            {
                                Type = "display",
                                Cell = cell,
                                Data = data,
                                ValueId = display.ValueId,
                                Update = display is DisplayedValueUpdated,
                            }
                        );
                    break;
                case CommandFailed failed when failed.Command == command:
                    send(
                        new()
                        {
                            Type = "error",
                            Cell = cell,
                            Text = failed.Message,
                        }
                    );
                    done = new()
                    {
                        Type = "done",
                        Cell = cell,
                        ExceptionTypes = TypeNames(failed.Exception),
                        Message = MessageChain(failed),
                    };
                    break;
                case CommandSucceeded succeeded when succeeded.Command == command:
                    done = new()
                    {
                        Type = "done",
                        Cell = cell,
                        Succeeded = true,
                    };
                    break;
            }
        });
        await _kernel.SendAsync(command);
        Flush();
        send(
            done
                ?? new()
                {
                    Type = "done",
                    Cell = cell,
                    Message = "the kernel finished the cell without reporting success or failure",
                }
        );
    }

    static string PlainText(DisplayEvent e) => string.Concat(e.FormattedValues.Select(v => v.Value));

    /// <summary>The exception's type and base types, short names: what <c>// runner: raises X</c> matches.</summary>
    static string[] TypeNames(Exception? exception)
    {
        var names = new List<string>();
        for (var type = exception?.GetType(); type is not null; type = type.BaseType)
            names.AddRange([type.Name, type.FullName ?? type.Name]);
        return [.. names];
    }

    /// <summary>"Type: message ---> Inner: message" for an exception (so a restore failure shows its cause), else the
    /// kernel's message (compile errors: every diagnostic).</summary>
    static string MessageChain(CommandFailed failed)
    {
        if (failed.Exception is null or CodeSubmissionCompilationErrorException)
            return failed.Message.TrimEnd();
        var parts = new List<string>();
        for (var e = failed.Exception; e is not null; e = e.InnerException)
            parts.Add($"{e.GetType().Name}: {e.Message}");
        return string.Join(" ---> ", parts);
    }

    /// <summary><c>#!time</c> as the kernel's Jupyter package defines it: the cell's wall time, displayed after its outputs.</summary>
    static void UseTime(Kernel kernel) =>
        kernel.AddDirective(
            new KernelActionDirective("#!time") { Description = "Time the execution of the cell" },
            (command, context) =>
            {
                var timer = Stopwatch.StartNew();
                context.OnComplete(c =>
                    c.Publish(
                        new DisplayedValueProduced(
                            timer.Elapsed,
                            context.Command,
                            [new FormattedValue(PlainTextFormatter.MimeType, $"Wall time: {timer.Elapsed.TotalMilliseconds}ms")]
                        )
                    )
                );
                return Task.CompletedTask;
            }
        );

    public void Dispose() => _kernel.Dispose();
}

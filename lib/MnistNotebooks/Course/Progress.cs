using System.Reflection;
using Microsoft.DotNet.Interactive.Formatting;

namespace MnistNotebooks.Course;

/// <summary>One line of progress that a long cell rewrites in place: in a notebook a single display updated by
/// <see cref="Update"/>, elsewhere a line on the console per update.</summary>
public sealed class Progress
{
    private readonly DisplayedValue? shown;

    private Progress(DisplayedValue? shown) => this.shown = shown;

    /// <summary>Shows <paramref name="text"/>; <see cref="Update"/> replaces it.</summary>
    /// <remarks>The kernel's <c>display(x)</c> (Microsoft.DotNet.Interactive 1.0.0-beta.26120.1) publishes one
    /// DisplayedValue and returns another with a different id, so its first <c>Update</c> adds a second output instead
    /// of replacing the first. The invocation context's own <c>Display</c> returns the value it published.</remarks>
    public static Progress Show(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (DisplayThroughContext(text) is { } shown)
        {
            return new Progress(shown);
        }
        Console.WriteLine(text);
        return new Progress(null);
    }

    /// <summary>Replaces the line with <paramref name="text"/>.</summary>
    public void Update(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (shown is null)
        {
            Console.WriteLine(text);
        }
        else
        {
            shown.Update(text);
        }
    }

    private static DisplayedValue? DisplayThroughContext(string text)
    {
        // Found by name so that the library does not depend on the kernel: outside one, there is no context.
        Type? contextType = Type.GetType("Microsoft.DotNet.Interactive.KernelInvocationContext, Microsoft.DotNet.Interactive");
        object? context = contextType?.GetProperty("Current", BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
        MethodInfo? display = Type.GetType("Microsoft.DotNet.Interactive.KernelInvocationContextExtensions, Microsoft.DotNet.Interactive")
            ?.GetMethod("Display", BindingFlags.Public | BindingFlags.Static, [contextType!, typeof(object), typeof(string[])]);
        return context is null || display is null ? null : display.Invoke(null, [context, text, new[] { "text/plain" }]) as DisplayedValue;
    }
}

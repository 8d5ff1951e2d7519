using Microsoft.AspNetCore.Html;

namespace NotebookRunner.Kernel;

/// <summary>
/// The script's globals: the helpers the Polyglot C# kernel makes available in every cell
/// (<c>display</c>, <c>HTML</c>, <c>Markdown</c>, <c>DisplayAs</c>).
/// </summary>
public sealed class KernelGlobals
{
    /// <summary>Shows a value (formatted for the given mime types, or its preferred ones) and returns a handle to update it.</summary>
    public DisplayedValue display(object? value, params string[] mimeTypes) => Display.Publish(Display.Format(value, mimeTypes));

    /// <summary>HTML to be shown as text/html.</summary>
    public IHtmlContent HTML(string value) => new HtmlString(value);

    /// <summary>Markdown text, shown as text/markdown when displayed.</summary>
    public DisplayedValue Markdown(string value) => value.DisplayAs("text/markdown");

    public DisplayedValue DisplayAs(string value, string mimeType) => value.DisplayAs(mimeType);
}

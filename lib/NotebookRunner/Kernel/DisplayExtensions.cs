using System.Collections;
using System.Net;
using System.Text;

namespace NotebookRunner.Kernel;

/// <summary>The kernel's display extension methods; the namespace is imported into every script.</summary>
public static class DisplayExtensions
{
    public static DisplayedValue Display(this object? value, params string[] mimeTypes) =>
        Kernel.Display.Publish(Kernel.Display.Format(value, mimeTypes));

    /// <summary>Shows already-formatted text as the given mime type, untouched.</summary>
    public static DisplayedValue DisplayAs(this string value, string mimeType) =>
        Kernel.Display.Publish(new Dictionary<string, string> { [mimeType] = value });

    /// <summary>Shows a sequence as an HTML table: one row per item, one column per public property (or the item itself).</summary>
    public static DisplayedValue DisplayTable(this IEnumerable source)
    {
        var items = source.Cast<object?>().ToList();
        var type = items.FirstOrDefault(i => i is not null)?.GetType();
        var properties =
            type is null || type.IsPrimitive || type == typeof(string) || type == typeof(decimal)
                ? []
                : type.GetProperties().Where(p => p.GetIndexParameters().Length == 0).ToArray();
        var html = new StringBuilder("<table><thead><tr>");
        if (properties.Length == 0)
            html.Append("<th>value</th>");
        foreach (var p in properties)
            html.Append("<th>").Append(WebUtility.HtmlEncode(p.Name)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var item in items)
        {
            html.Append("<tr>");
            if (properties.Length == 0)
                html.Append("<td>").Append(WebUtility.HtmlEncode(item?.ToString() ?? "")).Append("</td>");
            foreach (var p in properties)
                html.Append("<td>").Append(WebUtility.HtmlEncode(item is null ? "" : p.GetValue(item)?.ToString() ?? "")).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        return html.ToString().DisplayAs("text/html");
    }
}

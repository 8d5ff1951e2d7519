using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace MnistNotebooks.Diagnostics;

/// <summary>Renders rows (records) as an aligned text table for a terminal: one column per public property, numbers
/// in invariant culture with 4 significant digits. In a notebook, display the rows themselves: the formatter draws a table.</summary>
public static class TextTable
{
    public static string Render<T>(IEnumerable<T> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        PropertyInfo[] columns = typeof(T)
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .ToArray();
        var cells = new List<string[]> { columns.Select(c => c.Name).ToArray() };
        cells.AddRange(rows.Select(r => columns.Select(c => Format(c.GetValue(r))).ToArray()));
        int[] widths = Enumerable.Range(0, columns.Length).Select(i => cells.Max(row => row[i].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (string[] row in cells)
        {
            sb.AppendJoin("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).Append('\n');
        }
        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>One cell: doubles and floats with 4 significant digits, sequences joined with spaces.</summary>
    public static string Format(object? value) =>
        value switch
        {
            null => "",
            double d => double.IsNaN(d) ? "—" : d.ToString("G4", CultureInfo.InvariantCulture),
            float f => float.IsNaN(f) ? "—" : f.ToString("G4", CultureInfo.InvariantCulture),
            TimeSpan t => t.TotalSeconds.ToString("0.000 s", CultureInfo.InvariantCulture),
            string s => s,
            IDictionary dict => string.Join(" ", dict.Keys.Cast<object>().Select(k => $"{k}={Format(dict[k])}")),
            IEnumerable e => string.Join(" ", e.Cast<object?>().Select(Format)),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
}

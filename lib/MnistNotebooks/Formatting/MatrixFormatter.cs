using System.Globalization;
using System.Numerics;
using System.Text;

namespace MnistNotebooks.Formatting;

/// <summary>Matrix previews for notebooks: shape, min / max / mean, non-finite count, and the top-left corner.</summary>
public static class MatrixFormatter
{
    public const int PreviewRows = 6;
    public const int PreviewCols = 8;

    /// <summary>"Matrix (128, 784) min -0.5 max 1.2 mean 0.01 [3 NaN/±∞]" followed by the top-left corner, "…" where cut.</summary>
    public static string ToPlainText<T>(Matrix<T> matrix, int maxRows = PreviewRows, int maxCols = PreviewCols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var text = new StringBuilder(Summary(matrix)).Append('\n');
        int rows = Math.Min(matrix.Rows, maxRows),
            cols = Math.Min(matrix.Cols, maxCols);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                text.Append(Number(double.CreateTruncating(matrix[r, c])).PadLeft(11));
            }
            if (cols < matrix.Cols)
                text.Append("  …");
            text.Append('\n');
        }
        if (rows < matrix.Rows)
            text.Append("  ⋮\n");
        return text.ToString();
    }

    /// <summary>The same preview as an HTML table.</summary>
    public static string ToHtml<T>(Matrix<T> matrix, int maxRows = PreviewRows, int maxCols = PreviewCols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(matrix);
        const string cell = "style=\"text-align:right;font-family:monospace;padding:1px 6px\"";
        var html = new StringBuilder("<div class=\"mnist-matrix\">");
        // The summary holds digits, letters and ±∞ only: nothing to escape.
        html.Append("<div style=\"font-family:monospace\">").Append(Summary(matrix)).Append("</div>");
        int rows = Math.Min(matrix.Rows, maxRows),
            cols = Math.Min(matrix.Cols, maxCols);
        if (rows > 0 && cols > 0)
        {
            html.Append("<table style=\"border-collapse:collapse\">");
            html.Append("<tr><th></th>");
            for (int c = 0; c < cols; c++)
                html.Append($"<th {cell}>{c}</th>");
            if (cols < matrix.Cols)
                html.Append($"<th {cell}>…</th>");
            html.Append("</tr>");
            for (int r = 0; r < rows; r++)
            {
                html.Append($"<tr><th {cell}>{r}</th>");
                for (int c = 0; c < cols; c++)
                    html.Append($"<td {cell}>{Number(double.CreateTruncating(matrix[r, c]))}</td>");
                if (cols < matrix.Cols)
                    html.Append($"<td {cell}>…</td>");
                html.Append("</tr>");
            }
            if (rows < matrix.Rows)
            {
                html.Append($"<tr><th {cell}>⋮</th>");
                for (int c = 0; c < cols; c++)
                    html.Append($"<td {cell}>⋮</td>");
                html.Append("</tr>");
            }
            html.Append("</table>");
        }
        return html.Append("</div>").ToString();
    }

    /// <summary>"Matrix (rows, cols)" plus min, max, mean over finite values and the count of NaN/±∞.</summary>
    public static string Summary<T>(Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(matrix);
        double min = double.PositiveInfinity,
            max = double.NegativeInfinity,
            sum = 0;
        int finite = 0;
        foreach (T t in matrix.Data)
        {
            double v = double.CreateTruncating(t);
            if (!double.IsFinite(v))
                continue;
            finite++;
            sum += v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        var text = new StringBuilder($"Matrix<{Matrix<T>.ElementType}> {matrix.Shape}");
        if (finite > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" min {Number(min)} max {Number(max)} mean {Number(sum / finite)}");
        }
        int nonFinite = matrix.Length - finite;
        if (nonFinite > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" [{nonFinite} NaN/±∞]");
        }
        return text.ToString();
    }

    private static string Number(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}

using System.Text;

namespace MnistNotebooks.Charting;

public static partial class Charts
{
    /// <summary>A grid of digits with captions ("true 7 / pred 1", mistakes in red); inline PNGs, no script, renders offline.</summary>
    public static ChartHtml DigitGallery(IEnumerable<Digit> digits, int columns = 10, int scale = 2, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(digits);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        var cells = new StringBuilder();
        foreach (Digit digit in digits)
        {
            cells.Append(digit.ToHtml(scale));
        }
        string body = cells.ToString();
        string heading = title is null
            ? ""
            : $"<div style=\"font-weight:bold;margin:4px 0\">{System.Net.WebUtility.HtmlEncode(title)}</div>";
        return ChartHtml.FromHtml(
            id =>
                $"<div id=\"{id}\">{heading}<div style=\"display:grid;grid-template-columns:repeat({columns},max-content);gap:2px\">{body}</div></div>",
            seed: body
        );
    }
}

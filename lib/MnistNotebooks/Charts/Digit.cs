using System.Globalization;
using System.Numerics;

namespace MnistNotebooks.Charting;

/// <summary>
/// One 28 × 28 MNIST image (784 row-major intensities in [0, 1]; values above 1 are read as 0..255)
/// with an optional true label and prediction. Displays as a PNG image with a caption.
/// </summary>
public sealed record Digit(float[] Pixels, int? Label = null, int? Predicted = null)
{
    public const int Side = 28;

    public float[] Pixels { get; } =
        Pixels is { Length: Side * Side }
            ? Pixels
            : throw new ArgumentException(
                $"Expected {Side} × {Side} = {Side * Side} pixels but got {Pixels?.Length.ToString(CultureInfo.InvariantCulture) ?? "null"}",
                nameof(Pixels)
            );

    /// <summary>From raw IDX bytes (0 = background, 255 = ink).</summary>
    public static Digit FromBytes(ReadOnlySpan<byte> pixels, int? label = null, int? predicted = null)
    {
        var values = new float[pixels.Length];
        for (int i = 0; i < values.Length; i++)
            values[i] = pixels[i] / 255f;
        return new Digit(values, label, predicted);
    }

    /// <summary>Row <paramref name="row"/> of a (batch, 784) image matrix.</summary>
    public static Digit FromRow<T>(Matrix<T> images, int row, int? label = null, int? predicted = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(images);
        return new Digit([.. images.Row(row).ToArray().Select(float.CreateTruncating)], label, predicted);
    }

    /// <summary>True when a label and a prediction are both known and differ.</summary>
    public bool IsMistake => Label is not null && Predicted is not null && Label != Predicted;

    /// <summary>"true 7 / pred 1", "7", "pred 1" or "".</summary>
    public string Caption =>
        (Label, Predicted) switch
        {
            ({ } t, { } p) => string.Create(CultureInfo.InvariantCulture, $"true {t} / pred {p}"),
            ({ } t, null) => t.ToString(CultureInfo.InvariantCulture),
            (null, { } p) => string.Create(CultureInfo.InvariantCulture, $"pred {p}"),
            _ => "",
        };

    /// <summary>Grayscale PNG, dark ink on white; NaN pixels are drawn mid-gray.</summary>
    public byte[] ToPng()
    {
        float max = 0;
        foreach (float v in Pixels)
            if (float.IsFinite(v))
                max = Math.Max(max, v);
        float scale = max > 1 ? 1 / 255f : 1;
        var gray = new byte[Pixels.Length];
        for (int i = 0; i < gray.Length; i++)
        {
            float v = Pixels[i];
            gray[i] = float.IsNaN(v) ? (byte)128 : (byte)(255 - Math.Clamp(v * scale, 0, 1) * 255 + 0.5f);
        }
        return Png.EncodeGray(gray, Side, Side);
    }

    public string ToDataUri() => Png.ToDataUri(ToPng());

    /// <summary>An inline &lt;figure&gt; (image plus caption) shown at <paramref name="scale"/> × 28 pixels.</summary>
    public string ToHtml(int scale = 2)
    {
        int size = Side * scale;
        string color = IsMistake ? "#c00" : "inherit";
        return $"<figure style=\"margin:2px;text-align:center;font:11px monospace\">"
            + $"<img src=\"{ToDataUri()}\" width=\"{size}\" height=\"{size}\" style=\"image-rendering:pixelated;border:1px solid #ccc\" alt=\"{Caption}\"/>"
            + $"<figcaption style=\"color:{color}\">{Caption}</figcaption></figure>";
    }
}

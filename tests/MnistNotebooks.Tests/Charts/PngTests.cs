using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using MnistNotebooks.Charting;

namespace MnistNotebooks.Tests.Charts;

public sealed class PngTests
{
    [Fact]
    public void ReferenceCrcMatchesTheStandardCheckValue()
    {
        // The CRC-32 check value for "123456789" (IEEE 802.3), so the test's own bitwise CRC is a fair oracle.
        Assert.Equal(0xCBF43926u, ReferenceCrc("123456789"u8));
    }

    [Fact]
    public void IendChunkEndsWithItsWellKnownCrc()
    {
        // Every PNG ends with the same 12 bytes: an empty IEND chunk, whose CRC is AE 42 60 82.
        byte[] png = Png.EncodeGray([7], 1, 1);

        Assert.Equal(new byte[] { 0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82 }, png[^12..]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(28, 28)]
    [InlineData(5, 3)]
    public void GrayPngDecodesBackToItsPixels(int width, int height)
    {
        var pixels = new byte[width * height];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)(i * 37 % 256);

        var (w, h, colorType, decoded) = Decode(Png.EncodeGray(pixels, width, height), channels: 1);

        Assert.Equal((width, height, (byte)0), (w, h, colorType));
        Assert.Equal(pixels, decoded);
    }

    [Fact]
    public void RgbPngDecodesBackToItsPixels()
    {
        byte[] pixels = [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9];
        var (w, h, colorType, decoded) = Decode(Png.EncodeRgb(pixels, 2, 2), channels: 3);
        Assert.Equal((2, 2, (byte)2), (w, h, colorType));
        Assert.Equal(pixels, decoded);
    }

    [Fact]
    public void WrongPixelCountSaysWhatWasExpected()
    {
        var ex = Assert.Throws<ArgumentException>(() => Png.EncodeGray(new byte[10], 3, 3));
        Assert.StartsWith("Expected 3 × 3 × 1 = 9 bytes but got 10", ex.Message);
    }

    [Fact]
    public void DigitPngIsDarkInkOnWhite()
    {
        var pixels = new float[784];
        pixels[0] = 1f;
        pixels[1] = 0.5f;
        var digit = new Digit(pixels, Label: 7, Predicted: 1);

        var (_, _, _, decoded) = Decode(digit.ToPng(), channels: 1);

        Assert.Equal(0, decoded[0]);
        Assert.Equal(128, decoded[1]);
        Assert.Equal(255, decoded[2]);
        Assert.Equal("true 7 / pred 1", digit.Caption);
        Assert.True(digit.IsMistake);
        Assert.StartsWith("data:image/png;base64,iVBORw0KGgo", digit.ToDataUri());
    }

    [Fact]
    public void DigitFromBytesScalesTo01()
    {
        var bytes = new byte[784];
        bytes[3] = 255;
        var digit = Digit.FromBytes(bytes, label: 3);
        Assert.Equal(1f, digit.Pixels[3]);
        Assert.Equal("3", digit.Caption);
        Assert.Throws<ArgumentException>(() => new Digit(new float[783]));
    }

    [Fact]
    public void GalleryHoldsOneCaptionedImagePerDigit()
    {
        var digits = Enumerable.Range(0, 12).Select(i => new Digit(new float[784], Label: i % 10, Predicted: 1)).ToList();

        var gallery = Charting.Charts.DigitGallery(digits, columns: 6, title: "mistakes");

        Assert.Equal(12, CountOf(gallery.Html, "<img src=\"data:image/png;base64,"));
        Assert.Contains(">true 7 / pred 1</figcaption>", gallery.Html);
        Assert.Contains("grid-template-columns:repeat(6,max-content)", gallery.Html);
        Assert.Contains($"<div id=\"{gallery.Id}\">", gallery.Html);
        Assert.DoesNotContain("<script", gallery.Html);
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
            count++;
        return count;
    }

    /// <summary>CRC-32 bit by bit (reflected polynomial 0xEDB88320, initial value and final xor 0xFFFFFFFF), independent of the library's.</summary>
    private static uint ReferenceCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }
        return crc ^ 0xFFFFFFFFu;
    }

    /// <summary>An independent reader: signature, chunk CRCs, IHDR, and the inflated IDAT with filter bytes removed.</summary>
    private static (int Width, int Height, byte ColorType, byte[] Pixels) Decode(byte[] png, int channels)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        int offset = 8,
            width = 0,
            height = 0;
        byte colorType = 255;
        var idat = new MemoryStream();
        var types = new List<string>();
        while (offset < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            string type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Assert.Equal(crc, ReferenceCrc(png.AsSpan(offset + 4, 4 + length)));
            types.Add(type);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                colorType = data[9];
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            offset += 12 + length;
        }
        Assert.Equal(["IHDR", "IDAT", "IEND"], types);

        idat.Position = 0;
        var raw = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
            zlib.CopyTo(raw);
        byte[] rows = raw.ToArray();
        int stride = width * channels;
        Assert.Equal(height * (stride + 1), rows.Length);
        var pixels = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            Assert.Equal(0, rows[y * (stride + 1)]);
            Array.Copy(rows, y * (stride + 1) + 1, pixels, y * stride, stride);
        }
        return (width, height, colorType, pixels);
    }
}

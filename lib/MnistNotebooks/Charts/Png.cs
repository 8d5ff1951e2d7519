using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace MnistNotebooks.Charting;

/// <summary>
/// A minimal PNG encoder (8-bit grayscale or RGB, no interlace, filter 0 on every row) so that
/// images can be inlined as <c>data:image/png;base64,...</c> without extra packages.
/// </summary>
public static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes (height, width) 8-bit gray pixels, row-major; 0 is black, 255 is white.</summary>
    public static byte[] EncodeGray(ReadOnlySpan<byte> pixels, int width, int height) =>
        Encode(pixels, width, height, channels: 1, colorType: 0);

    /// <summary>Encodes (height, width) RGB pixels, row-major, 3 bytes per pixel.</summary>
    public static byte[] EncodeRgb(ReadOnlySpan<byte> pixels, int width, int height) =>
        Encode(pixels, width, height, channels: 3, colorType: 2);

    /// <summary>The PNG as a data URI for an &lt;img src=...&gt;.</summary>
    public static string ToDataUri(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    private static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels, byte colorType)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        int stride = width * channels;
        if (pixels.Length != stride * height)
        {
            throw new ArgumentException(
                $"Expected {width} × {height} × {channels} = {stride * height} bytes but got {pixels.Length}",
                nameof(pixels)
            );
        }

        var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = colorType; // 0 gray, 2 RGB
        header[10] = 0; // deflate
        header[11] = 0; // filter method
        header[12] = 0; // no interlace
        WriteChunk(output, "IHDR", header);

        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y = 0; y < height; y++)
            {
                zlib.WriteByte(0); // filter type None
                zlib.Write(pixels.Slice(y * stride, stride));
            }
        }
        WriteChunk(output, "IDAT", compressed.ToArray());
        WriteChunk(output, "IEND", ReadOnlySpan<byte>.Empty);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        byte[] typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        // PNG's chunk CRC (ISO 3309, as zlib's crc32) covers the type and the data, not the length.
        var crc = new Crc32();
        crc.Append(typeBytes);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        output.Write(word);
    }
}

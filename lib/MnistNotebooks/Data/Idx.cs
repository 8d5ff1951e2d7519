using System.Buffers.Binary;
using System.IO.Compression;

namespace MnistNotebooks.Data;

/// <summary>Reads MNIST IDX files, gzipped or raw (gzip is detected by its 1f 8b magic, not by the name), validating every header field and the exact length.</summary>
public static class Idx
{
    /// <summary>Magic number of an images file: unsigned bytes, 3 dimensions (count, rows, cols).</summary>
    public const int ImagesMagic = 2051;

    /// <summary>Magic number of a labels file: unsigned bytes, 1 dimension (count).</summary>
    public const int LabelsMagic = 2049;

    public const int ImagesHeaderLength = 16;
    public const int LabelsHeaderLength = 8;

    /// <summary>Deflate cannot compress better than about 1032:1; a header claiming more than this is rejected before allocating.</summary>
    private const long MaxDeflateRatio = 1032;

    /// <summary>The first buffer for a gzipped body; it doubles as data arrives.</summary>
    private const int InitialGzipBuffer = 1 << 20;

    /// <summary>Reads a (count, 28 × 28) images file; returns the count × 784 pixel bytes, row-major.</summary>
    public static byte[] ReadImages(string path) =>
        Read(path, ImagesMagic, ImagesHeaderLength, Mnist.ImageSize * Mnist.ImageSize, "images");

    /// <summary>Reads a labels file; returns one byte per label, each checked to be in 0..9.</summary>
    public static byte[] ReadLabels(string path)
    {
        byte[] labels = Read(path, LabelsMagic, LabelsHeaderLength, 1, "labels");
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= Mnist.Classes)
            {
                throw new IdxFormatException(path, $"bad label: expected 0..{Mnist.Classes - 1}, found {labels[i]} at index {i}");
            }
        }
        return labels;
    }

    /// <summary>The whole decompressed contents of a file (header included), gunzipped when it starts with 1f 8b.</summary>
    public static byte[] ReadAllBytes(string path)
    {
        using Stream stream = Open(path, out _);
        using var buffer = new MemoryStream();
        try
        {
            stream.CopyTo(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new IdxFormatException(path, $"corrupt gzip data ({e.Message})", e);
        }
        return buffer.ToArray();
    }

    /// <summary>True when the bytes start with the gzip magic 1f 8b.</summary>
    public static bool IsGzip(ReadOnlySpan<byte> start) => start.Length >= 2 && start[0] == 0x1f && start[1] == 0x8b;

    private static Stream Open(string path, out long fileLength)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        fileLength = file.Length;
        Span<byte> magic = stackalloc byte[2];
        int n = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return IsGzip(magic[..n]) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    private static byte[] Read(string path, int expectedMagic, int headerLength, int itemLength, string what)
    {
        using Stream stream = Open(path, out long fileLength);
        bool gzip = stream is GZipStream;
        string form = gzip ? "decompressed " : "";
        try
        {
            if (fileLength == 0)
            {
                throw new IdxFormatException(path, $"empty file: expected a {headerLength}-byte IDX {what} header, found 0 bytes");
            }

            Span<byte> header = stackalloc byte[headerLength];
            int got = stream.ReadAtLeast(header, headerLength, throwOnEndOfStream: false);
            if (got < 4)
            {
                throw new IdxFormatException(path, $"truncated: expected at least {headerLength} {form}bytes of header, found {got}");
            }

            int magic = BinaryPrimitives.ReadInt32BigEndian(header);
            if (magic != expectedMagic)
            {
                throw new IdxFormatException(path, WrongMagic(path, magic, expectedMagic, what, gzip));
            }
            if (got < headerLength)
            {
                throw new IdxFormatException(path, $"truncated: expected at least {headerLength} {form}bytes of header, found {got}");
            }

            uint count = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
            if (headerLength == ImagesHeaderLength)
            {
                uint rows = BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
                uint cols = BinaryPrimitives.ReadUInt32BigEndian(header[12..]);
                if (rows != Mnist.ImageSize || cols != Mnist.ImageSize)
                {
                    throw new IdxFormatException(
                        path,
                        $"wrong dimensions: expected {Mnist.ImageSize} × {Mnist.ImageSize} images, found {rows} × {cols}"
                    );
                }
            }

            long bodyLength = (long)count * itemLength;
            long expectedTotal = headerLength + bodyLength;
            if (!gzip && fileLength != expectedTotal)
            {
                throw new IdxFormatException(path, LengthProblem(count, what, expectedTotal, fileLength, form));
            }
            if (bodyLength > Array.MaxLength || (gzip && bodyLength > fileLength * MaxDeflateRatio))
            {
                throw new IdxFormatException(
                    path,
                    $"header claims {count} {what} ({expectedTotal} bytes), more than this {fileLength}-byte file can hold"
                );
            }

            byte[] body = gzip ? ReadGrowing(stream, (int)bodyLength, out int read) : ReadExactly(stream, (int)bodyLength, out read);
            if (read < bodyLength)
            {
                throw new IdxFormatException(path, LengthProblem(count, what, expectedTotal, headerLength + read, form));
            }
            long extra = CountRemaining(stream);
            if (extra > 0)
            {
                throw new IdxFormatException(path, LengthProblem(count, what, expectedTotal, expectedTotal + extra, form));
            }
            return body;
        }
        catch (InvalidDataException e)
        {
            throw new IdxFormatException(path, $"corrupt gzip data ({e.Message})", e);
        }
    }

    /// <summary>A raw file's length was checked against the header, so the body is allocated at its declared size.</summary>
    private static byte[] ReadExactly(Stream stream, int length, out int read)
    {
        var body = new byte[length];
        read = stream.ReadAtLeast(body, length, throwOnEndOfStream: false);
        return body;
    }

    /// <summary>A gzip header cannot be checked before decompressing, so the buffer doubles (up to the declared
    /// <paramref name="length"/>) only as data arrives: a header that lies costs about twice what the file really holds.</summary>
    private static byte[] ReadGrowing(Stream stream, int length, out int read)
    {
        var body = new byte[Math.Min(length, InitialGzipBuffer)];
        read = 0;
        while (true)
        {
            read += stream.ReadAtLeast(body.AsSpan(read), body.Length - read, throwOnEndOfStream: false);
            if (read < body.Length || read == length)
            {
                return body;
            }
            Array.Resize(ref body, (int)Math.Min(length, 2L * body.Length));
        }
    }

    private static string WrongMagic(string path, int magic, int expected, string what, bool gzip)
    {
        string hint = magic switch
        {
            ImagesMagic => " (this is an images file)",
            LabelsMagic => " (this is a labels file)",
            _ when !gzip && path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) =>
                " (the name ends in .gz but the file does not start with the gzip magic 1f 8b: not gzip, or corrupt)",
            _ => "",
        };
        return $"wrong magic: expected {expected} for {what}, found {magic}{hint}";
    }

    private static string LengthProblem(uint count, string what, long expected, long found, string form) =>
        found < expected
            ? $"truncated: header says {count} {what}, so expected {expected} {form}bytes, found {found}"
            : $"too long: header says {count} {what}, so expected {expected} {form}bytes, found {found}";

    private static long CountRemaining(Stream stream)
    {
        Span<byte> scratch = stackalloc byte[4096];
        long total = 0;
        int n;
        while ((n = stream.Read(scratch)) > 0)
        {
            total += n;
        }
        return total;
    }
}

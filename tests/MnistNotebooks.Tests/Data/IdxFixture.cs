using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using MnistNotebooks.Data;

namespace MnistNotebooks.Tests.Data;

/// <summary>Builds small IDX files by hand (big-endian header, then bytes) for the reader and loader tests.</summary>
internal static class IdxFixture
{
    /// <summary>An images file: header (magic, count, rows, cols) then count × rows × cols bytes, pixel k of image i = (i * 31 + k) % 256.</summary>
    public static byte[] Images(int count, int rows = 28, int cols = 28, int magic = Idx.ImagesMagic, int? headerCount = null)
    {
        var bytes = new byte[16 + (count * rows * cols)];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), headerCount ?? count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), cols);
        for (int i = 0; i < count; i++)
        {
            for (int k = 0; k < rows * cols; k++)
            {
                bytes[16 + (i * rows * cols) + k] = (byte)(((i * 31) + k) % 256);
            }
        }
        return bytes;
    }

    /// <summary>A labels file: header (magic, count) then labels (i + offset) % 10.</summary>
    public static byte[] Labels(int count, int magic = Idx.LabelsMagic, int? headerCount = null, int offset = 0)
    {
        var bytes = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), headerCount ?? count);
        for (int i = 0; i < count; i++)
        {
            bytes[8 + i] = (byte)((i + offset) % 10);
        }
        return bytes;
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest))
        {
            gz.Write(raw);
        }
        return output.ToArray();
    }

    public static string Sha256(byte[] raw) => Convert.ToHexStringLower(SHA256.HashData(raw));

    /// <summary>The four files' contents: train has <paramref name="trainCount"/> images, test <paramref name="testCount"/>.</summary>
    public static byte[][] Set(int trainCount, int testCount) =>
        [Images(trainCount), Labels(trainCount), Images(testCount), Labels(testCount, offset: 3)];

    /// <summary>The four default MNIST names with the raw SHA-256 of <paramref name="contents"/>, so a download of them verifies.</summary>
    public static IReadOnlyList<MnistFile> FilesFor(byte[][] contents) =>
        MnistFile.All.Select((f, i) => f with { RawSha256 = Sha256(contents[i]), GzMd5 = [] }).ToArray();

    /// <summary>Writes the four files under their MNIST names into <paramref name="directory"/>, gzipped with a .gz name or raw.</summary>
    public static string WriteSet(string directory, byte[][] contents, bool gzip)
    {
        Directory.CreateDirectory(directory);
        for (int i = 0; i < 4; i++)
        {
            string name = MnistFile.All[i].Name;
            File.WriteAllBytes(Path.Combine(directory, gzip ? name + ".gz" : name), gzip ? Gzip(contents[i]) : contents[i]);
        }
        return directory;
    }
}

/// <summary>A fresh temporary directory, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mnist-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name, byte[] contents)
    {
        string path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllBytes(path, contents);
        return path;
    }

    public string Sub(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException) { }
    }
}

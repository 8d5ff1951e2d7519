namespace MnistNotebooks.Data;

/// <summary>One of the four MNIST files: its base name (without <c>.gz</c>) and the hashes a download must match.</summary>
/// <param name="Name">Base name, e.g. <c>train-images-idx3-ubyte</c>; the file may sit on disk as <c>Name</c> or <c>Name.gz</c>.</param>
/// <param name="RawSha256">Lower-case hex SHA-256 of the decompressed contents.</param>
/// <param name="GzMd5">Lower-case hex MD5s of known-good <c>.gz</c> files (also accepted without decompressing).</param>
public sealed record MnistFile(string Name, string RawSha256, IReadOnlyList<string> GzMd5)
{
    public static MnistFile TrainImages { get; } =
        new(
            "train-images-idx3-ubyte",
            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            ["c7dfcf1bfd3481a40f7b3aedbdbd083c", "f68b3c2dcbeaaa9fbdd348bbdeb94873"]
        );

    public static MnistFile TrainLabels { get; } =
        new(
            "train-labels-idx1-ubyte",
            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            ["d53e105ee54ea40749a09fcbcd1e9432"]
        );

    public static MnistFile TestImages { get; } =
        new(
            "t10k-images-idx3-ubyte",
            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            ["9fb629c4189551a2d022fa330f9573f3"]
        );

    public static MnistFile TestLabels { get; } =
        new(
            "t10k-labels-idx1-ubyte",
            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
            ["ec29112dd5afa0611ce80d1b7f02629c"]
        );

    /// <summary>The four files in the order train images, train labels, test images, test labels.</summary>
    public static IReadOnlyList<MnistFile> All { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];
}

namespace MnistNotebooks.Data;

/// <summary>The MNIST train (60,000) and test (10,000) sets, and the directory they were read from.</summary>
public sealed record MnistData(MnistSet Train, MnistSet Test, string Directory)
{
    public override string ToString() => FormattableString.Invariant($"MNIST: {Train.Count} train, {Test.Count} test, from {Directory}");
}

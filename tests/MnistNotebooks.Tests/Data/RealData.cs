using MnistNotebooks.Data;

namespace MnistNotebooks.Tests.Data;

/// <summary>The real-MNIST tests find their data as a notebook does (MNIST_DIR, then the data/mnist cache, then a
/// verified download), so without data they fail and say where they looked; they never pass without running.</summary>
internal static class RealData
{
    public static string Directory() => Mnist.LocateAsync(null, new MnistOptions()).GetAwaiter().GetResult();
}

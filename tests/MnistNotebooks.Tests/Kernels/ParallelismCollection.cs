namespace MnistNotebooks.Tests.Kernels;

/// <summary>Tests that change <see cref="MnistNotebooks.Kernels.Parallelism.MaxThreads"/> join this collection so
/// that they never run beside each other.</summary>
[CollectionDefinition("Parallelism")]
public sealed class ParallelismCollection
{
    public const string Name = "Parallelism";
}

namespace MnistNotebooks.Tests.Data;

/// <summary>Tests whose timeouts are a second or so run alone, after the parallel ones: beside the kernel tests, which
/// keep every thread-pool thread busy for seconds, the client's continuations wait longer than the timeout itself.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimeoutCollection
{
    public const string Name = "Timeouts";
}

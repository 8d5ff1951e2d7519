namespace MnistNotebooks.Kernels;

/// <summary>How many threads the kernels may use. Results never depend on it: work is split so that
/// every output element is computed by one thread in a fixed order.</summary>
public static class Parallelism
{
    private static int maxThreads = Environment.ProcessorCount;

    /// <summary>The largest number of threads a kernel may use (at least 1); defaults to the processor count.</summary>
    public static int MaxThreads
    {
        get => maxThreads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            maxThreads = value;
        }
    }

    /// <summary>The threads a kernel uses when its work is large enough: <see cref="MaxThreads"/>, at most one per processor.</summary>
    internal static int Threads => Math.Min(maxThreads, Environment.ProcessorCount);
}

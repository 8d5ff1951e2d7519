using MnistNotebooks.Kernels;

namespace MnistNotebooks.Tests.Kernels;

/// <summary>Runs code with <see cref="Parallelism.MaxThreads"/> set, and puts it back. A test that uses it belongs to
/// <see cref="ParallelismCollection"/>: the setting is process-wide.</summary>
internal static class ThreadLimit
{
    /// <summary>Computes <paramref name="f"/> with at most <paramref name="threads"/> threads.</summary>
    public static T Run<T>(int threads, Func<T> f)
    {
        int saved = Parallelism.MaxThreads;
        Parallelism.MaxThreads = threads;
        try
        {
            return f();
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    /// <summary>Runs <paramref name="action"/> with at most <paramref name="threads"/> threads.</summary>
    public static void Run(int threads, Action action) =>
        Run(
            threads,
            () =>
            {
                action();
                return 0;
            }
        );
}

using NotebookRunner.Worker;

namespace NotebookRunner.Tests;

/// <summary>Kernels side by side each get their share of the processors, so that one thread per processor in each does not
/// oversubscribe the machine; a user's own DOTNET_PROCESSOR_COUNT wins.</summary>
[Collection(ProcessWide.Name)]
public sealed class ProcessorShareTests
{
    [Theory]
    [InlineData(2, 26, 2, 1)]
    [InlineData(2, 26, 8, 4)]
    [InlineData(3, 26, 8, 2)]
    [InlineData(4, 2, 8, 4)]
    [InlineData(8, 26, 2, 1)]
    public void Each_kernel_gets_processors_over_the_kernels_side_by_side_and_at_least_one(
        int jobs,
        int notebooks,
        int processors,
        int share
    ) => Assert.Equal(share, ProcessorShare.For(jobs, notebooks, processors));

    [Theory]
    [InlineData(1, 26)]
    [InlineData(4, 1)]
    [InlineData(2, 0)]
    public void One_kernel_at_a_time_keeps_every_processor(int jobs, int notebooks) => Assert.Null(ProcessorShare.For(jobs, notebooks, 2));

    [Fact]
    public void Jobs_or_processors_below_one_is_an_error_that_names_the_argument()
    {
        Assert.Equal("jobs", Assert.Throws<ArgumentOutOfRangeException>(() => ProcessorShare.For(0, 3, 2)).ParamName);
        Assert.Equal("processors", Assert.Throws<ArgumentOutOfRangeException>(() => ProcessorShare.For(2, 3, 0)).ParamName);
    }

    static async Task<string> ProcessorCountInKernel(int? processors)
    {
        using var fixture = new Fixture("processors.dib");
        var result = await Runner.RunAsync(
            fixture["processors.dib"],
            new RunOptions { CellTimeout = TimeSpan.FromSeconds(120), WorkerProcessors = processors }
        );
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        return RunnerTests.Text(result.Cells[1]).Trim();
    }

    [Fact]
    public Task The_kernel_sees_the_share_it_was_given_and_every_processor_without_one()
    {
        // The runtime reads the variable once, at start: when this test process was given one, its own count is that
        // number and not the machine's, which the kernel (started without the variable) sees.
        bool ownCountIsTheMachines = Environment.GetEnvironmentVariable(WorkerClient.ProcessorCountVariable) is null;
        return Fixture.WithVariable(
            WorkerClient.ProcessorCountVariable,
            null,
            async () =>
            {
                Assert.Equal("1", await ProcessorCountInKernel(1));
                // A share larger than the machine is what the runtime is told; the runner's arithmetic keeps it small.
                Assert.Equal("3", await ProcessorCountInKernel(3));
                string every = await ProcessorCountInKernel(null);
                if (ownCountIsTheMachines)
                    Assert.Equal($"{Environment.ProcessorCount}", every);
                else
                    Assert.True(int.TryParse(every, out int n) && n >= 1, $"without a share the kernel saw '{every}' processors");
            }
        );
    }

    [Fact]
    public Task A_users_DOTNET_PROCESSOR_COUNT_wins_over_the_share() =>
        Fixture.WithVariable(WorkerClient.ProcessorCountVariable, "5", async () => Assert.Equal("5", await ProcessorCountInKernel(1)));
}

namespace NotebookRunner.Tests;

public sealed class PlaceholderTests
{
    [Fact]
    public void ProjectBuilds() => Assert.True(typeof(PlaceholderTests).Assembly is not null);
}

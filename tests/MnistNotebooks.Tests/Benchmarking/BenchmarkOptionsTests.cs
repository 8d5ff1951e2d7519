using BenchmarkOptions = Benchmarks.Options;

namespace MnistNotebooks.Tests.Benchmarking;

/// <summary>The benchmark's command line: the defaults the README's table is made with, and an error that names the
/// option, what it expects and what it found for every bad value (never a silent default or a stack trace).</summary>
public sealed class BenchmarkOptionsTests
{
    [Fact]
    public void NoArgumentsGiveTheReadmeRun()
    {
        BenchmarkOptions o = BenchmarkOptions.Parse([]);
        Assert.Equal([1, 2], o.Threads);
        Assert.Equal(["float32", "float64"], o.Precisions);
        Assert.Equal(3, o.Epochs);
        Assert.True(o.Train);
        Assert.False(o.Peers || o.Profile || o.Quick || o.Paths || o.Machine);
    }

    [Fact]
    public void ValuesAreRead()
    {
        BenchmarkOptions o = BenchmarkOptions.Parse([
            "--threads",
            "2",
            "--precisions",
            "float64",
            "--epochs",
            "5",
            "--out",
            "b.md",
            "--profile",
            "--nets",
            "784-10",
        ]);
        Assert.Equal([2], o.Threads);
        Assert.Equal(["float64"], o.Precisions);
        Assert.Equal(5, o.Epochs);
        Assert.Equal("b.md", o.Out);
        Assert.Equal([784, 10], Assert.Single(o.Nets));
    }

    [Fact]
    public void QuickRunsOneEpochUnlessEpochsIsGiven()
    {
        Assert.Equal(1, BenchmarkOptions.Parse(["--quick"]).Epochs);
        Assert.Equal(4, BenchmarkOptions.Parse(["--quick", "--epochs", "4"]).Epochs);
        Assert.Equal(4, BenchmarkOptions.Parse(["--epochs", "4", "--quick"]).Epochs);
    }

    [Theory]
    [InlineData("--threads 0", "--threads: expected thread counts such as 1,2", "found \"0\"")]
    [InlineData("--threads 1,x", "--threads: expected", "found \"1,x\"")]
    [InlineData("--threads 1,1", "each once", "found \"1,1\"")]
    [InlineData("--epochs 0", "--epochs: expected one number of epochs such as 3", "found \"0\"")]
    [InlineData("--epochs 2,3", "--epochs: expected", "found \"2,3\"")]
    [InlineData("--precisions float16", "--precisions: expected float32, float64 or float32,float64", "found \"float16\"")]
    [InlineData("--nets 784-300-10", "--nets: applies to --profile only", "add --profile")]
    [InlineData("--profile --nets 300-10", "--nets: expected layer sizes such as 784-300-10", "found \"300-10\"")]
    [InlineData("--threads --peers", "--threads: expected a value after it", "found --peers")]
    [InlineData("--out", "--out: expected a value after it", "found the end of the command")]
    [InlineData("--thread 2", "Unknown option --thread", "try --help")]
    public void BadInputNamesTheOptionWhatItExpectsAndWhatItFound(string args, string expected, string found)
    {
        var e = Assert.Throws<ArgumentException>(() => BenchmarkOptions.Parse(args.Split(' ')));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains(found, e.Message, StringComparison.Ordinal);
    }
}

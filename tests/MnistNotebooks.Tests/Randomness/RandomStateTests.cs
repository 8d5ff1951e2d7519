using System.Text.Json;
using MnistNotebooks.Randomness;
using Xunit.Abstractions;

namespace MnistNotebooks.Tests.Randomness;

/// <summary>RandomState against numpy 1.24's np.random.RandomState: committed fixtures (make_fixtures.py), a few values
/// typed from numpy, and fresh draws from /usr/bin/python3 when numpy is there.</summary>
public sealed class RandomStateTests(ITestOutputHelper output)
{
    private const double FirstDoubleOfSeed0 = 0.5488135039273248; // np.random.RandomState(0).random_sample()

    public static TheoryData<string> FixtureCases()
    {
        var names = new TheoryData<string>();
        foreach (var property in NumpyOracle.Fixture.GetProperty("cases").EnumerateObject())
        {
            names.Add(property.Name);
        }

        return names;
    }

    [Fact]
    public void FixtureComesFromNumpy124AndHoldsEveryCase()
    {
        Assert.StartsWith("1.24.", NumpyOracle.Fixture.GetProperty("numpy_version").GetString());
        string[] required =
        [
            "seed_0",
            "seed_1",
            "seed_42",
            "seed_4294967295",
            "rand_784x10_seed0",
            "randn_cache_seed0",
            "randint_ranges_seed0",
            "permutation_10_seed0",
            "permutation_60000_seed0",
            "shuffle_seed0",
            "mixed_seed0",
            "uniform_normal_seed3",
        ];
        Assert.All(required, name => Assert.True(NumpyOracle.Fixture.GetProperty("cases").TryGetProperty(name, out _), name));
    }

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void SequenceOfCallsMatchesNumpyFixture(string name)
    {
        var fixtureCase = NumpyOracle.Fixture.GetProperty("cases").GetProperty(name);
        var rs = new RandomState(fixtureCase.GetProperty("seed").GetInt64());
        var ops = fixtureCase.GetProperty("ops");
        var results = fixtureCase.GetProperty("results");
        Assert.Equal(ops.GetArrayLength(), results.GetArrayLength());
        for (int k = 0; k < ops.GetArrayLength(); k++)
        {
            NumpyOracle.AssertSame(results[k], NumpyOracle.Run(rs, ops[k]), $"{name} op {k} {ops[k]}");
        }
    }

    [Fact]
    public void Rand784x10OfSeed0IsNumpys()
    {
        double[] w = new RandomState(0).Rand(784, 10).Data;
        Assert.Equal(7840, w.Length);
        Assert.Equal(0.5488135039273248, w[0]);
        Assert.Equal(0.7151893663724195, w[1]);
        Assert.Equal(0.12987027957280362, w[(391 * 10) + 7]);
        Assert.Equal(0.14921479152104644, w[^1]);
    }

    [Fact]
    public void RandnReturnsTheCachedSecondNormalAcrossCalls()
    {
        var rs = new RandomState(0);
        Assert.Equal(1.764052345967664, rs.Randn());
        Assert.Equal(0.4001572083672233, rs.Randn()); // the cached x1·f of the first pair: draws nothing
        Assert.Equal(0.9787379841057392, rs.Randn(1)[0]);
    }

    [Fact]
    public void PermutationOf10ForSeed0IsNumpys()
    {
        Assert.Equal([2, 8, 4, 9, 1, 6, 7, 3, 0, 5], new RandomState(0).Permutation(10));
    }

    [Fact]
    public void RandintMatchesNumpyOnSmallAndFullInt64Ranges()
    {
        var rs = new RandomState(42);
        Assert.Equal([6L, 3, 7, 4, 6], rs.Randint(0, 10, 5));
        Assert.Equal(-999209258682727982L, rs.Randint(long.MinValue, long.MaxValue));
    }

    [Fact]
    public void EmptyRangesAndTinyShufflesDrawNothing()
    {
        var rs = new RandomState(0);
        Assert.Equal([5L, 5, 5], rs.Randint(5, 6, 3));
        Assert.Equal(-9L, rs.Randint(-9, -8));
        Assert.Equal([0], rs.Permutation(1));
        Assert.Empty(rs.Permutation(0));
        rs.Shuffle(Span<double>.Empty);
        Assert.Equal(FirstDoubleOfSeed0, rs.RandomSample());
    }

    [Fact]
    public void ShuffleMovesAnyElementTypeInNumpysOrder()
    {
        var numpy = NumpyOracle
            .Fixture.GetProperty("cases")
            .GetProperty("shuffle_seed0")
            .GetProperty("results")[0]
            .GetProperty("values")
            .EnumerateArray()
            .Select(v => v.GetInt64())
            .ToArray();
        string[] names = Enumerable.Range(0, 10).Select(i => $"s{i}").ToArray();
        new RandomState(0).Shuffle(names);
        Assert.Equal(numpy.Select(i => $"s{i}"), names);
    }

    [Fact]
    public void ShuffleOfASpanTouchesOnlyTheSpan()
    {
        var numpy = NumpyOracle
            .Fixture.GetProperty("cases")
            .GetProperty("shuffle_seed0")
            .GetProperty("results")[0]
            .GetProperty("values")
            .EnumerateArray()
            .Select(v => (int)v.GetInt64())
            .ToArray();
        int[] values = Enumerable.Range(-2, 14).ToArray();
        new RandomState(0).Shuffle(values.AsSpan(2, 10));
        Assert.Equal([-2, -1, .. numpy, 10, 11], values);
    }

    [Fact]
    public void SeedOutsideUInt32IsRejectedAsNumpyDoes()
    {
        foreach (long seed in new[] { -1L, 1L << 32, long.MaxValue, long.MinValue })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RandomState(seed));
            Assert.Equal("seed", e.ParamName);
            Assert.Contains("between 0 and 2**32 - 1", e.Message);
            Assert.Contains($"but got {seed}", e.Message);
        }
    }

    [Fact]
    public void NegativeCountsAndShapesAreRejectedByName()
    {
        var rs = new RandomState(0);
        AssertRejects("count", "count ≥ 0, but got -1", () => rs.RandomSample(-1));
        AssertRejects("count", "count ≥ 0, but got -1", () => rs.Rand(-1));
        AssertRejects("count", "count ≥ 0, but got -2", () => rs.Random(-2));
        AssertRejects("count", "count ≥ 0, but got -1", () => rs.Randn(-1));
        AssertRejects("rows", "rows ≥ 0, but got -3", () => rs.Rand(-3, 2));
        AssertRejects("cols", "cols ≥ 0, but got -1", () => rs.Randn(2, -1));
        AssertRejects("cols", "cols ≥ 0, but got -1", () => rs.Random(2, -1));
        AssertRejects("cols", "65536 × 65536", () => rs.Rand(65536, 65536));
        AssertRejects("count", "count ≥ 0, but got -1", () => rs.Randint(0, 10, -1));
        AssertRejects("n", "n ≥ 0, but got -4", () => rs.Permutation(-4));
        AssertRejects("count", "count ≥ 0, but got -1", () => rs.Uniform(0, 1, -1));
        AssertRejects("count", "count ≥ 0, but got -1", () => rs.Normal(0, 1, -1));
        Assert.Throws<ArgumentNullException>(() => rs.Shuffle((int[])null!));
        Assert.Equal(FirstDoubleOfSeed0, rs.RandomSample()); // a rejected call draws nothing
    }

    [Fact]
    public void BadIntervalsAndParametersAreRejectedByName()
    {
        var rs = new RandomState(0);
        AssertRejects("high", "low = 5, high = 5", () => rs.Randint(5, 5));
        AssertRejects("high", "low = 5, high = 4", () => rs.Randint(5, 4, 3));
        AssertRejects("high", "low = 0, high = -1", () => rs.Randint(0, -1));
        AssertRejects("high", "high - low", () => rs.Uniform(0, double.PositiveInfinity, 1));
        AssertRejects("high", "high - low", () => rs.Uniform(double.NaN, 1, 1));
        AssertRejects("high", "high - low", () => rs.Uniform(-1e308, 1e308, 1)); // the range overflows, as numpy says
        AssertRejects("scale", "scale ≥ 0, but got -1", () => rs.Normal(0, -1, 1));
        AssertRejects("scale", "scale ≥ 0", () => rs.Normal(0, -0.0, 1));
        AssertRejects("scale", "scale ≥ 0, but got NaN", () => rs.Normal(0, double.NaN, 1));
        AssertRejects("loc", "finite loc", () => rs.Normal(double.NegativeInfinity, 1, 1));
        Assert.Equal(FirstDoubleOfSeed0, rs.RandomSample());
    }

    [NumpyFact]
    public void FreshNumpyDrawsMatchForSeveralSeedsAndShapes()
    {
        if (NumpyOracle.NumpyVersion is null)
        {
            Assert.Fail($"CI=true needs numpy at {NumpyOracle.PythonPath}: {NumpyOracle.NumpyProblem}. .ci/run installs python3-numpy.");
        }

        long[] seeds = [0, 1, 2, 7, 42, 1234, 65535, int.MaxValue, 1L << 31, 3141592653, uint.MaxValue];
        var cases = seeds.Select((seed, k) => new { seed, ops = Program(k) }).ToArray();
        string json = JsonSerializer.Serialize(cases);
        var numpy = NumpyOracle.RunPython(json);
        var ours = JsonDocument.Parse(json).RootElement;

        int values = 0;
        for (int c = 0; c < cases.Length; c++)
        {
            var rs = new RandomState(cases[c].seed);
            var ops = ours[c].GetProperty("ops");
            for (int k = 0; k < ops.GetArrayLength(); k++)
            {
                var draw = NumpyOracle.Run(rs, ops[k]);
                NumpyOracle.AssertSame(numpy[c][k], draw, $"seed {cases[c].seed} op {k} {ops[k]}");
                values += draw.Doubles?.Length ?? draw.Ints!.Length;
            }
        }

        output.WriteLine($"{values} values from {cases.Length} seeds equal numpy {NumpyOracle.NumpyVersion}'s, bit for bit");
    }

    /// <summary>A different program of calls and shapes for each seed, in make_fixtures.py's op format.</summary>
    private static object[][] Program(int k) =>
        [
            ["rand", 1 + (k * 7 % 50), 1 + (k * 13 % 20)],
            ["randn", 3 + (2 * k)],
            ["randint", (-1000L * k) - 1, 1L << (k + 3), 17],
            ["randint", -5L, (1L << (33 + k)) + k, 9],
            ["permutation", 100 + (37 * k)],
            ["shuffle", 50 + k],
            ["random", 2, k + 1],
            ["uniform", -k - 0.5, 2.5, 7],
            ["normal", k * 1.25, 0.5 + k, 5],
            ["randn"],
            ["random_sample"],
            ["randint", long.MinValue, long.MaxValue, 3],
            ["randint", 0L, (1L << (k + 20)) + 1],
            ["randint", 0L, 1L << 32, 5],
            ["randint", -1L, 1L << 31, 5],
            ["randn", 624 + k, 1],
            ["rand", k < 2 ? 784 : 30, 30],
        ];

    private static void AssertRejects(string parameter, string message, Action call)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(call);
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(message, e.Message);
    }
}

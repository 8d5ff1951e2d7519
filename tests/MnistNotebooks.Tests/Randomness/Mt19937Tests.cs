using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Tests.Randomness;

public sealed class Mt19937Tests
{
    public static TheoryData<int> States() => new(Enumerable.Range(0, NumpyOracle.Fixture.GetProperty("states").GetArrayLength()));

    [Theory]
    [MemberData(nameof(States))]
    public void StateEqualsNumpysGetState(int index)
    {
        var expected = NumpyOracle.Fixture.GetProperty("states")[index];
        var mt = new Mt19937(expected.GetProperty("seed").GetInt64());
        for (int i = 0; i < expected.GetProperty("doubles_drawn").GetInt32(); i++)
        {
            mt.NextDouble();
        }

        string where = $"seed {expected.GetProperty("seed")} after {expected.GetProperty("doubles_drawn")} doubles";
        Assert.True(expected.GetProperty("pos").GetInt32() == mt.Position, $"{where}: position");
        uint[] head = expected.GetProperty("head").EnumerateArray().Select(e => e.GetUInt32()).ToArray();
        uint[] tail = expected.GetProperty("tail").EnumerateArray().Select(e => e.GetUInt32()).ToArray();
        Assert.Equal(head, mt.Key[..8].ToArray());
        Assert.Equal(tail, mt.Key[^8..].ToArray());
        Assert.Equal(expected.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(mt.Key))));
    }

    [Fact]
    public void Seed5489GivesTheReferenceStream()
    {
        // C++ [rand.predef]: the 10000th output of a default-constructed std::mt19937 (seed 5489) is 4123659995.
        var mt = new Mt19937(5489);
        Assert.Equal(3499211612u, mt.NextUInt32());
        for (int i = 2; i < 10000; i++)
        {
            mt.NextUInt32();
        }

        Assert.Equal(4123659995u, mt.NextUInt32());
    }

    [Fact]
    public void WideAndDoubleDrawsAreBuiltFromConsecutiveWords()
    {
        var words = new Mt19937(0);
        uint a = words.NextUInt32(),
            b = words.NextUInt32(),
            c = words.NextUInt32(),
            d = words.NextUInt32();
        var mt = new Mt19937(0);
        Assert.Equal(((ulong)a << 32) | b, mt.NextUInt64());
        Assert.Equal((((c >> 5) * 67108864.0) + (d >> 6)) / 9007199254740992.0, mt.NextDouble());
    }

    [Fact]
    public void SeedOutsideUInt32IsRejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Mt19937(4294967296));
        Assert.Equal("seed", e.ParamName);
        Assert.Contains("but got 4294967296", e.Message);
        Assert.Equal(0u, new Mt19937(0).Key[0]);
        Assert.Equal(uint.MaxValue, new Mt19937(uint.MaxValue).Key[0]);
    }
}

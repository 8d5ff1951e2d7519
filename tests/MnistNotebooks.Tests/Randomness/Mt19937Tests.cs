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

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 1)]
    [InlineData(3, 7)]
    [InlineData(0, 624)]
    [InlineData(1, 624)]
    [InlineData(620, 9)]
    [InlineData(5, 2000)]
    public void BlockOfWordsEqualsOneWordAtATime(int drawnBefore, int count)
    {
        var one = new Mt19937(12345);
        var block = new Mt19937(12345);
        for (int i = 0; i < drawnBefore; i++)
        {
            Assert.Equal(one.NextUInt32(), block.NextUInt32());
        }
        uint[] expected = [.. Enumerable.Range(0, count).Select(_ => one.NextUInt32())];
        uint[] actual = new uint[count];
        block.NextUInt32(actual);
        Assert.Equal(expected, actual);
        Assert.Equal(one.Position, block.Position);
        Assert.Equal(one.Key.ToArray(), block.Key.ToArray());
        Assert.Equal(one.NextUInt32(), block.NextUInt32()); // and the streams go on together
    }

    [Fact]
    public void VectorRegenerationEqualsNumpysScalarLoop()
    {
        // Generate picks the vector form where the CPU has it; GenerateScalar is numpy's loop as written.
        var mt = new Mt19937(987654321);
        var reference = new Mt19937(987654321);
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < Mt19937.StateLength; i++)
            {
                mt.NextUInt32(); // the first draw of each round regenerates the state
            }
            reference.GenerateScalar();
            Assert.Equal(reference.Key.ToArray(), mt.Key.ToArray());
        }
    }
}

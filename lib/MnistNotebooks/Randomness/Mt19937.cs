using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MnistNotebooks.Randomness;

/// <summary>The 32-bit Mersenne Twister MT19937 (624 words + position), seeded and read as numpy's legacy MT19937.</summary>
/// <remarks>
/// Follows numpy 1.24 <c>random/src/mt19937/mt19937.c</c> and <c>mt19937.h</c>: an integer seed goes through
/// <c>mt19937_seed</c> (Knuth's recurrence, as <c>_MT19937._legacy_seeding</c> does for an int), not <c>init_by_array</c>,
/// which numpy keeps for array seeds.
/// </remarks>
public sealed class Mt19937
{
    /// <summary>Number of 32-bit words in the state, N = 624.</summary>
    public const int StateLength = 624;

    private const int M = 397;
    private const uint MatrixA = 0x9908b0df;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7fffffff;

    private readonly uint[] _key = new uint[StateLength];
    private int _position;

    /// <summary>State as <c>np.random.seed(seed)</c>: key[0] = seed, key[i] = 1812433253·(key[i−1] ⊕ (key[i−1] ≫ 30)) + i mod 2³²; seed in [0, 2³² − 1].</summary>
    public Mt19937(long seed)
    {
        if (seed < 0 || seed > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                nameof(seed),
                seed,
                $"Expected a seed between 0 and 2**32 - 1 (= {uint.MaxValue}), as numpy requires, but got {seed}."
            );
        }

        uint s = (uint)seed;
        for (int i = 0; i < StateLength; i++)
        {
            _key[i] = s;
            s = unchecked((1812433253u * (s ^ (s >> 30))) + (uint)i + 1u);
        }

        // numpy starts at the end of the block, so the first draw regenerates all 624 words.
        _position = StateLength;
    }

    /// <summary>The 624 state words, as numpy's <c>get_state()[1]</c>.</summary>
    public ReadOnlySpan<uint> Key => _key;

    /// <summary>Index of the next word to temper, 0..624, as numpy's <c>get_state()[2]</c>.</summary>
    public int Position => _position;

    /// <summary>Next tempered 32-bit word (numpy's <c>next_uint32</c>, <c>mt19937_next</c>).</summary>
    public uint NextUInt32()
    {
        if (_position == StateLength)
        {
            Generate();
        }

        return Temper(_key[_position++]);
    }

    /// <summary>Fills <paramref name="destination"/> with the next words: the same words, and the same state after, as
    /// <see cref="NextUInt32()"/> called destination.Length times; eight at a time where the CPU has 256-bit vectors.</summary>
    public void NextUInt32(Span<uint> destination)
    {
        int done = 0;
        while (done < destination.Length)
        {
            if (_position == StateLength)
            {
                Generate();
            }
            int n = Math.Min(StateLength - _position, destination.Length - done);
            Temper(_key.AsSpan(_position, n), destination.Slice(done, n));
            _position += n;
            done += n;
        }
    }

    /// <summary>Two words, the first one high: (w₁ ≪ 32) | w₂ (numpy's <c>next_uint64</c>, <c>mt19937_next64</c>).</summary>
    public ulong NextUInt64()
    {
        ulong high = NextUInt32();
        return (high << 32) | NextUInt32();
    }

    /// <summary>53-bit double in [0, 1): ((w₁ ≫ 5)·2²⁶ + (w₂ ≫ 6)) / 2⁵³ (numpy's <c>next_double</c>, <c>mt19937_next_double</c>).</summary>
    public double NextDouble()
    {
        int a = (int)(NextUInt32() >> 5);
        int b = (int)(NextUInt32() >> 6);
        return ((a * 67108864.0) + b) / 9007199254740992.0;
    }

    /// <summary>Tempers words[i] into tempered[i]: the output transform of <see cref="NextUInt32()"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from its first call: dropout masks draw millions of words
    private static void Temper(ReadOnlySpan<uint> words, Span<uint> tempered)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<uint> b = Vector256.Create(0x9d2c5680u),
                c = Vector256.Create(0xefc60000u);
            for (; i <= words.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
            {
                Vector256<uint> y = Vector256.Create(words.Slice(i, Vector256<uint>.Count));
                y ^= Vector256.ShiftRightLogical(y, 11);
                y ^= Vector256.ShiftLeft(y, 7) & b;
                y ^= Vector256.ShiftLeft(y, 15) & c;
                y ^= Vector256.ShiftRightLogical(y, 18);
                y.CopyTo(tempered.Slice(i, Vector256<uint>.Count));
            }
        }
        for (; i < words.Length; i++)
        {
            tempered[i] = Temper(words[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Temper(uint y)
    {
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        return y ^ (y >> 18);
    }

    /// <summary>Regenerates the 624 words in place (numpy's <c>mt19937_gen</c>).</summary>
    /// <remarks>Word i reads words i + 1 and i + 397 (mod 624), never one less than 8 places ahead of itself that this
    /// pass has already rewritten, so eight consecutive words can be computed at once without changing any of them.</remarks>
    private void Generate()
    {
        if (Vector256.IsHardwareAccelerated)
        {
            GenerateVector();
            return;
        }
        GenerateScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void GenerateVector()
    {
        uint[] key = _key;
        const int W = 8;
        int i = 0;
        for (; i + W <= StateLength - M; i += W)
        {
            Twist(key, i, i + M);
        }
        for (; i < StateLength - M; i++)
        {
            TwistOne(key, i, i + M);
        }
        for (; i + W <= StateLength - 1; i += W)
        {
            Twist(key, i, i + M - StateLength);
        }
        for (; i < StateLength - 1; i++)
        {
            TwistOne(key, i, i + M - StateLength);
        }
        uint y = (key[StateLength - 1] & UpperMask) | (key[0] & LowerMask);
        key[StateLength - 1] = key[M - 1] ^ (y >> 1) ^ ((0u - (y & 1)) & MatrixA);
        _position = 0;
    }

    // key[i..i+8] = key[m..m+8] ^ twist(key[i..i+8], key[i+1..i+9]): all nine inputs are read before any is written.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Twist(uint[] key, int i, int m)
    {
        Vector256<uint> upper = Vector256.Create(key.AsSpan(i, 8)) & Vector256.Create(UpperMask),
            lower = Vector256.Create(key.AsSpan(i + 1, 8)) & Vector256.Create(LowerMask),
            y = upper | lower,
            odd = Vector256.Equals(y & Vector256<uint>.One, Vector256<uint>.One) & Vector256.Create(MatrixA);
        (Vector256.Create(key.AsSpan(m, 8)) ^ Vector256.ShiftRightLogical(y, 1) ^ odd).CopyTo(key.AsSpan(i, 8));
    }

    private static void TwistOne(uint[] key, int i, int m)
    {
        uint y = (key[i] & UpperMask) | (key[i + 1] & LowerMask);
        key[i] = key[m] ^ (y >> 1) ^ ((0u - (y & 1)) & MatrixA);
    }

    /// <summary>numpy's loop as written: the reference the vector form is tested against.</summary>
    internal void GenerateScalar()
    {
        uint[] key = _key;
        uint y;
        int i;
        for (i = 0; i < StateLength - M; i++)
        {
            y = (key[i] & UpperMask) | (key[i + 1] & LowerMask);
            key[i] = key[i + M] ^ (y >> 1) ^ ((0u - (y & 1)) & MatrixA);
        }

        for (; i < StateLength - 1; i++)
        {
            y = (key[i] & UpperMask) | (key[i + 1] & LowerMask);
            key[i] = key[i + M - StateLength] ^ (y >> 1) ^ ((0u - (y & 1)) & MatrixA);
        }

        y = (key[StateLength - 1] & UpperMask) | (key[0] & LowerMask);
        key[StateLength - 1] = key[M - 1] ^ (y >> 1) ^ ((0u - (y & 1)) & MatrixA);
        _position = 0;
    }
}

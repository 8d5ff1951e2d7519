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

        uint y = _key[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >> 18;
        return y;
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

    /// <summary>Regenerates the 624 words in place (numpy's <c>mt19937_gen</c>).</summary>
    private void Generate()
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

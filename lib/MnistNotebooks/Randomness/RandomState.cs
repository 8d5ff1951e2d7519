namespace MnistNotebooks.Randomness;

/// <summary>numpy 1.24's legacy generator <c>np.random.RandomState(seed)</c>, bit for bit; arrays are flat and row-major.</summary>
/// <remarks>
/// Every method draws from one <see cref="Mt19937"/> in numpy's order, so any sequence of calls advances the state as
/// the same sequence does in numpy (e.g. <c>rand</c>, then <c>randn</c>, then <c>permutation</c>). Sources, numpy 1.24:
/// <c>random/mtrand.pyx</c>, <c>_bounded_integers.pyx.in</c>, <c>src/distributions/distributions.c</c>,
/// <c>src/legacy/legacy-distributions.c</c>. Not thread-safe: give each thread its own instance.
/// </remarks>
public sealed class RandomState
{
    private readonly Mt19937 _mt;

    // legacy_gauss makes two normals per accepted pair and keeps the second for the next call, across calls.
    private bool _hasGauss;
    private double _gauss;

    /// <summary>Same stream as <c>np.random.RandomState(seed)</c> or <c>np.random.seed(seed)</c>; seed in [0, 2³² − 1].</summary>
    public RandomState(long seed)
    {
        _mt = new Mt19937(seed);
    }

    /// <summary>The next raw 32-bit word of the Mersenne Twister (numpy's <c>random_uint32</c>).</summary>
    public uint NextUInt32() => _mt.NextUInt32();

    /// <summary>Fills <paramref name="destination"/> with the next raw words: the same as that many calls of
    /// <see cref="NextUInt32()"/>, faster.</summary>
    public void NextUInt32(Span<uint> destination) => _mt.NextUInt32(destination);

    /// <summary>One uniform double in [0, 1), 53 bits: <c>random_sample()</c>.</summary>
    public double RandomSample() => _mt.NextDouble();

    /// <summary>count uniforms in [0, 1): <c>random_sample(count)</c>.</summary>
    public double[] RandomSample(int count)
    {
        var values = new double[CheckCount(count, nameof(count))];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = _mt.NextDouble();
        }

        return values;
    }

    /// <summary>count uniforms in [0, 1): <c>random(count)</c>, numpy's alias of <c>random_sample</c>.</summary>
    public double[] Random(int count) => RandomSample(count);

    /// <summary>A (rows, cols) matrix of uniforms in [0, 1): <c>random((rows, cols))</c>.</summary>
    public Matrix<double> Random(int rows, int cols) => new(rows, cols, RandomSample(CheckShape(rows, cols)));

    /// <summary>count uniforms in [0, 1): <c>rand(count)</c>.</summary>
    public double[] Rand(int count) => RandomSample(count);

    /// <summary>A (rows, cols) matrix of uniforms in [0, 1): <c>rand(rows, cols)</c>.</summary>
    public Matrix<double> Rand(int rows, int cols) => new(rows, cols, RandomSample(CheckShape(rows, cols)));

    /// <summary>One standard normal by the polar method: <c>randn()</c>, numpy's <c>legacy_gauss</c>.</summary>
    /// <remarks>
    /// Draws x₁, x₂ = 2u − 1 until 0 &lt; r² = x₁² + x₂² &lt; 1, returns x₂·√(−2 ln r² / r²) and keeps x₁·√(−2 ln r² / r²)
    /// for the next call (of any normal method), as numpy's <c>has_gauss</c>/<c>gauss</c>.
    /// </remarks>
    public double Randn()
    {
        if (_hasGauss)
        {
            _hasGauss = false;
            double cached = _gauss;
            _gauss = 0.0;
            return cached;
        }

        double x1,
            x2,
            r2;
        do
        {
            x1 = (2.0 * _mt.NextDouble()) - 1.0;
            x2 = (2.0 * _mt.NextDouble()) - 1.0;
            r2 = (x1 * x1) + (x2 * x2);
        } while (r2 >= 1.0 || r2 == 0.0);

        double f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        _gauss = f * x1;
        _hasGauss = true;
        return f * x2;
    }

    /// <summary>count standard normals: <c>randn(count)</c>.</summary>
    public double[] Randn(int count)
    {
        var values = new double[CheckCount(count, nameof(count))];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Randn();
        }

        return values;
    }

    /// <summary>A (rows, cols) matrix of standard normals: <c>randn(rows, cols)</c>.</summary>
    public Matrix<double> Randn(int rows, int cols) => new(rows, cols, Randn(CheckShape(rows, cols)));

    /// <summary>count uniforms in [low, high): low + (high − low)·u, numpy's legacy <c>uniform(low, high, count)</c>.</summary>
    /// <remarks>As numpy, high &lt; low is allowed (values then lie in (high, low]); high − low must be finite.</remarks>
    public double[] Uniform(double low, double high, int count)
    {
        double range = high - low;
        if (!double.IsFinite(range))
        {
            throw new ArgumentOutOfRangeException(
                nameof(high),
                high,
                $"Expected finite low and high with a finite high - low, but got low = {low}, high = {high}."
            );
        }

        var values = new double[CheckCount(count, nameof(count))];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = low + (range * _mt.NextDouble());
        }

        return values;
    }

    /// <summary>count normals N(loc, scale²): loc + scale·z with z from <see cref="Randn()"/>, numpy's <c>legacy_normal</c>.</summary>
    public double[] Normal(double loc, double scale, int count)
    {
        if (!double.IsFinite(loc))
        {
            throw new ArgumentOutOfRangeException(nameof(loc), loc, $"Expected a finite loc, but got {loc}.");
        }

        // numpy rejects a set sign bit, so -0.0 too.
        if (!double.IsFinite(scale) || double.IsNegative(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"Expected a finite scale ≥ 0, but got {scale}.");
        }

        var values = new double[CheckCount(count, nameof(count))];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = loc + (scale * Randn());
        }

        return values;
    }

    /// <summary>One integer in [low, high): <c>randint(low, high)</c> with numpy's default dtype int64.</summary>
    public long Randint(long low, long high)
    {
        (ulong offset, ulong range) = CheckInterval(low, high);
        return unchecked((long)(offset + BoundedUInt64(range, BoundedMask(range))));
    }

    /// <summary>count integers in [low, high): <c>randint(low, high, count)</c> with numpy's default dtype int64.</summary>
    public long[] Randint(long low, long high, int count)
    {
        (ulong offset, ulong range) = CheckInterval(low, high);
        var values = new long[CheckCount(count, nameof(count))];
        ulong mask = BoundedMask(range);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = unchecked((long)(offset + BoundedUInt64(range, mask)));
        }

        return values;
    }

    /// <summary>A random order of 0..n−1: <c>permutation(n)</c>, i.e. <see cref="Shuffle{T}(Span{T})"/> of <c>arange(n)</c>.</summary>
    public int[] Permutation(int n)
    {
        var values = new int[CheckCount(n, nameof(n))];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i;
        }

        Shuffle<int>(values);
        return values;
    }

    /// <summary>Shuffles in place as <c>shuffle(x)</c> on a 1-D array: for i = n−1..1, swap x[i] and x[j], j uniform in [0, i].</summary>
    public void Shuffle<T>(T[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Shuffle(values.AsSpan());
    }

    /// <summary>Shuffles in place as <c>shuffle(x)</c> on a 1-D array: for i = n−1..1, swap x[i] and x[j], j uniform in [0, i].</summary>
    public void Shuffle<T>(Span<T> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = (int)Interval((uint)i);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>Uniform j in [0, max] by masked rejection on 32-bit words: numpy's <c>random_interval</c>.</summary>
    /// <remarks>numpy switches to 64-bit words when max ≥ 2³², which a span's length never reaches.</remarks>
    private uint Interval(uint max)
    {
        if (max == 0)
        {
            return 0;
        }

        uint mask = (uint)BoundedMask(max);
        uint value;
        while ((value = _mt.NextUInt32() & mask) > max) { }

        return value;
    }

    /// <summary>Uniform value in [0, range] as numpy's legacy <c>random_bounded_uint64_fill</c> with use_masked.</summary>
    private ulong BoundedUInt64(ulong range, ulong mask)
    {
        // range 0 draws nothing; up to 2³² − 1 one 32-bit word per try; above, one 64-bit word (two 32-bit) per try.
        // numpy also special-cases range 2⁶⁴ − 1 (one 64-bit word, no mask), which [long, long) cannot reach.
        if (range == 0)
        {
            return 0;
        }

        if (range <= uint.MaxValue)
        {
            if (range == uint.MaxValue)
            {
                return _mt.NextUInt32();
            }

            uint value;
            while ((value = _mt.NextUInt32() & (uint)mask) > range) { }

            return value;
        }

        ulong wide;
        while ((wide = _mt.NextUInt64() & mask) > range) { }

        return wide;
    }

    /// <summary>Smallest 2ᵏ − 1 ≥ max (numpy's <c>gen_mask</c>).</summary>
    private static ulong BoundedMask(ulong max)
    {
        ulong mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        mask |= mask >> 32;
        return mask;
    }

    /// <summary>numpy's closed interval [off, off + rng] for [low, high): off = low, rng = high − 1 − low (mod 2⁶⁴).</summary>
    private static (ulong Offset, ulong Range) CheckInterval(long low, long high)
    {
        if (low >= high)
        {
            throw new ArgumentOutOfRangeException(
                nameof(high),
                high,
                $"Expected high > low for the interval [low, high), but got low = {low}, high = {high}."
            );
        }

        return unchecked(((ulong)low, (ulong)(high - 1) - (ulong)low));
    }

    private static int CheckCount(int count, string name)
    {
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(name, count, $"Expected {name} ≥ 0, but got {count}.");
        }

        return count;
    }

    private static int CheckShape(int rows, int cols)
    {
        CheckCount(rows, nameof(rows));
        CheckCount(cols, nameof(cols));
        long count = (long)rows * cols;
        if (count > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(cols),
                cols,
                $"Expected rows × cols ≤ {Array.MaxLength}, but got {rows} × {cols} = {count}."
            );
        }

        return (int)count;
    }
}

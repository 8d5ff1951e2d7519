namespace MnistNotebooks.Initialization;

/// <summary>How a weight matrix W (fan_in = rows = inputs, fan_out = cols = outputs) gets its first values.
/// Every initializer draws from an explicit <see cref="Random"/>: the same seed gives the same weights.</summary>
public abstract record Initializer
{
    /// <summary>Overwrites every element of <paramref name="weights"/> (fan_in = Rows, fan_out = Cols).</summary>
    public abstract void Fill(Matrix weights, Random rng);

    /// <summary>A new (rows, cols) matrix filled by <see cref="Fill"/>.</summary>
    public Matrix Create(int rows, int cols, Random rng)
    {
        var m = new Matrix(rows, cols);
        Fill(m, rng);
        return m;
    }

    /// <summary>Fills with U[low, high): u from <see cref="Random.NextDouble"/> in [0, 1), low + (high − low)·u in
    /// double, rounded to float (and kept below <paramref name="high"/>, which rounding could otherwise reach).</summary>
    protected static void FillUniform(Span<float> values, Random rng, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(rng);
        float top = (float)high;
        for (int i = 0; i < values.Length; i++)
        {
            float v = (float)(low + (high - low) * rng.NextDouble());
            values[i] = v >= top && high > low ? MathF.BitDecrement(top) : v;
        }
    }

    /// <summary>Fills with N(mean, std²) by Box–Muller in double: two uniforms give two independent normals.</summary>
    protected static void FillNormal(Span<float> values, Random rng, double mean, double std)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int i = 0; i < values.Length; i += 2)
        {
            double u1 = 1.0 - rng.NextDouble(); // (0, 1]: log(u1) is finite
            double u2 = rng.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            values[i] = (float)(mean + std * radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < values.Length)
            {
                values[i + 1] = (float)(mean + std * radius * Math.Sin(2 * Math.PI * u2));
            }
        }
    }

    protected static void CheckFinite(double value, string name)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be finite");
        }
    }
}

using System.Numerics;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Initialization;

/// <summary>How a weight matrix W (fan_in = rows = inputs, fan_out = cols = outputs) gets its first values. Values are
/// drawn in double from numpy's generator in row-major order and rounded to T, so <c>new Uniform01()</c> with
/// <c>new RandomState(0)</c> gives numpy's <c>np.random.seed(0); np.random.rand(rows, cols)</c> exactly.</summary>
public abstract record Initializer
{
    /// <summary>Overwrites every element of <paramref name="weights"/> (fan_in = Rows, fan_out = Cols).</summary>
    public void Fill<T>(Matrix<T> weights, RandomState rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(rng);
        double[] values = Draw(weights.Rows, weights.Cols, rng);
        double? top = UpperBound(weights.Rows, weights.Cols);
        for (int i = 0; i < values.Length; i++)
        {
            T v = T.CreateTruncating(values[i]);
            // Rounding to float can reach the excluded upper bound of a uniform range; keep it excluded.
            weights.Data[i] = top is double t && v >= T.CreateTruncating(t) && values[i] < t ? T.BitDecrement(v) : v;
        }
    }

    /// <summary>A new (rows, cols) matrix filled by <see cref="Fill"/>.</summary>
    public Matrix<T> Create<T>(int rows, int cols, RandomState rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = new Matrix<T>(rows, cols);
        Fill(m, rng);
        return m;
    }

    /// <summary>rows × cols values in row-major order, in double.</summary>
    protected abstract double[] Draw(int rows, int cols, RandomState rng);

    /// <summary>The excluded upper bound of a uniform range for a (rows, cols) matrix, or null.</summary>
    protected virtual double? UpperBound(int rows, int cols) => null;

    /// <summary>low + (high − low)·u for u from numpy's <c>random_sample</c> (so −1 + 2u is <c>2*random() - 1</c>).</summary>
    protected static double[] DrawUniform(int count, RandomState rng, double low, double high)
    {
        double[] u = rng.RandomSample(count);
        for (int i = 0; i < u.Length; i++)
        {
            u[i] = low + (high - low) * u[i];
        }
        return u;
    }

    /// <summary>mean + std·z for z from numpy's <c>randn</c> (its polar method, with the cached second value).</summary>
    protected static double[] DrawNormal(int count, RandomState rng, double mean, double std)
    {
        double[] z = rng.Randn(count);
        for (int i = 0; i < z.Length; i++)
        {
            z[i] = mean + std * z[i];
        }
        return z;
    }

    protected static void CheckFinite(double value, string name)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be finite");
        }
    }
}

using System.Numerics;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Data;

/// <summary>Distorted copies of 28 × 28 images (rows of an (n, 784) matrix) for data augmentation: output pixel p is the
/// input sampled bilinearly (zero outside) at c + M·(p − c − t) + d(p), with M a random rotation, scale and shear about the
/// centre c, t a random shift and d a smoothed random displacement field (see <see cref="AugmentOptions"/>).</summary>
/// <remarks>Image i draws from its own <c>RandomState(seed · 1,000,003 + i mod 2³²)</c>, so the result depends on the seed
/// and the image's index only, not on the thread count: images are distorted in parallel.</remarks>
public static class Augmentation
{
    private const int Side = Mnist.ImageSize;

    /// <summary>A distorted copy of every row of <paramref name="images"/>, (n, 784).</summary>
    public static Matrix<T> Apply<T>(Matrix<T> images, AugmentOptions options, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(options);
        ShapeMismatchException.ThrowIfNot(images, -1, Side * Side, nameof(images), "n");
        options.Validate();
        var result = new Matrix<T>(images.Rows, images.Cols);
        double[] kernel = GaussianKernel(options.ElasticSigma);
        Parallel.For(
            0,
            images.Rows,
            new ParallelOptions { MaxDegreeOfParallelism = Kernels.Parallelism.MaxThreads },
            () => new Buffers(),
            (i, _, buffers) =>
            {
                var rng = new RandomState(unchecked((uint)((long)seed * 1_000_003 + i)));
                Distort(images.Row(i), result.Row(i), options, kernel, rng, buffers);
                return buffers;
            },
            _ => { }
        );
        return result;
    }

    /// <summary>Samples <paramref name="source"/> (28 × 28) bilinearly at (x + dx, y + dy) for every pixel; zero outside.</summary>
    internal static void Warp<T>(ReadOnlySpan<T> source, Span<T> destination, ReadOnlySpan<double> dx, ReadOnlySpan<double> dy)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int y = 0; y < Side; y++)
        {
            for (int x = 0; x < Side; x++)
            {
                int p = y * Side + x;
                double sx = x + dx[p],
                    sy = y + dy[p];
                int x0 = (int)Math.Floor(sx),
                    y0 = (int)Math.Floor(sy);
                double fx = sx - x0,
                    fy = sy - y0;
                double v =
                    (1 - fy) * ((1 - fx) * At(source, x0, y0) + fx * At(source, x0 + 1, y0))
                    + fy * ((1 - fx) * At(source, x0, y0 + 1) + fx * At(source, x0 + 1, y0 + 1));
                destination[p] = T.CreateTruncating(v);
            }
        }
    }

    private static double At<T>(ReadOnlySpan<T> image, int x, int y)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        (uint)x < Side && (uint)y < Side ? double.CreateTruncating(image[y * Side + x]) : 0;

    private static void Distort<T>(
        ReadOnlySpan<T> source,
        Span<T> destination,
        AugmentOptions o,
        double[] kernel,
        RandomState rng,
        Buffers b
    )
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The affine part, drawn first: the inverse map from an output pixel to where it samples the input.
        double angle = Uniform(rng, o.MaxRotationDegrees) * Math.PI / 180,
            scale = 1 + Uniform(rng, o.MaxScale),
            shear = Uniform(rng, o.MaxShearDegrees) * Math.PI / 180,
            tx = Uniform(rng, o.MaxShift),
            ty = Uniform(rng, o.MaxShift);
        double cos = Math.Cos(angle) / scale,
            sin = Math.Sin(angle) / scale,
            tan = Math.Tan(shear);
        const double c = (Side - 1) / 2.0;
        for (int y = 0; y < Side; y++)
        {
            for (int x = 0; x < Side; x++)
            {
                double u = x - c - tx,
                    v = y - c - ty;
                double ux = cos * u + sin * v,
                    uy = -sin * u + cos * v;
                b.Dx[y * Side + x] = ux + tan * uy + c - x;
                b.Dy[y * Side + x] = uy + c - y;
            }
        }
        if (o.ElasticAlpha > 0)
        {
            AddElastic(b.Dx, rng, o.ElasticAlpha, kernel, b);
            AddElastic(b.Dy, rng, o.ElasticAlpha, kernel, b);
        }
        Warp(source, destination, b.Dx, b.Dy);
    }

    /// <summary>field += α·(G_σ ∗ U(−1, 1) noise), the Gaussian applied along rows then columns, zero-padded.</summary>
    private static void AddElastic(double[] field, RandomState rng, double alpha, double[] kernel, Buffers b)
    {
        for (int i = 0; i < b.Noise.Length; i++)
        {
            b.Noise[i] = 2 * rng.RandomSample() - 1;
        }
        int r = kernel.Length / 2;
        for (int y = 0; y < Side; y++)
        {
            for (int x = 0; x < Side; x++)
            {
                double s = 0;
                for (int k = -r; k <= r; k++)
                {
                    int xx = x + k;
                    s += (uint)xx < Side ? kernel[k + r] * b.Noise[y * Side + xx] : 0;
                }
                b.Blur[y * Side + x] = s;
            }
        }
        for (int y = 0; y < Side; y++)
        {
            for (int x = 0; x < Side; x++)
            {
                double s = 0;
                for (int k = -r; k <= r; k++)
                {
                    int yy = y + k;
                    s += (uint)yy < Side ? kernel[k + r] * b.Blur[yy * Side + x] : 0;
                }
                field[y * Side + x] += alpha * s;
            }
        }
    }

    /// <summary>exp(−k²/2σ²) for |k| ≤ 3σ, normalised to sum 1.</summary>
    private static double[] GaussianKernel(double sigma)
    {
        int r = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        double[] k = [.. Enumerable.Range(-r, 2 * r + 1).Select(i => Math.Exp(-i * i / (2 * sigma * sigma)))];
        double sum = k.Sum();
        return [.. k.Select(v => v / sum)];
    }

    private static double Uniform(RandomState rng, double limit) => limit == 0 ? 0 : limit * (2 * rng.RandomSample() - 1);

    private sealed class Buffers
    {
        public readonly double[] Dx = new double[Side * Side],
            Dy = new double[Side * Side],
            Noise = new double[Side * Side],
            Blur = new double[Side * Side];
    }
}

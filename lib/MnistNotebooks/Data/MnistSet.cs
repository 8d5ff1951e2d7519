using System.Numerics;

namespace MnistNotebooks.Data;

/// <summary>MNIST images and labels: <see cref="Images"/> is (Count, 784) bytes 0..255 row-major, <see cref="Labels"/> has Count digits 0..9.</summary>
public sealed class MnistSet
{
    /// <summary>Wraps (not copies) the arrays; checks images.Length == labels.Length × 784 and every label is 0..9.</summary>
    public MnistSet(byte[] images, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Length != (long)labels.Length * Mnist.Pixels)
        {
            throw new ArgumentException(
                $"Expected {labels.Length} × {Mnist.Pixels} = {(long)labels.Length * Mnist.Pixels} pixel bytes for {labels.Length} labels but got {images.Length}",
                nameof(images)
            );
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= Mnist.Classes)
            {
                throw new ArgumentException($"Expected labels 0..{Mnist.Classes - 1} but got {labels[i]} at index {i}", nameof(labels));
            }
        }
        Images = images;
        Labels = labels;
    }

    /// <summary>Pixel bytes 0..255, (Count, 784) row-major: image i is Images[i*784 .. (i+1)*784).</summary>
    public byte[] Images { get; }

    /// <summary>The digit of each image, 0..9.</summary>
    public int[] Labels { get; }

    public int Count => Labels.Length;

    /// <summary>The 784 pixel bytes of image <paramref name="index"/>, row-major 28 × 28.</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Images.AsSpan(index * Mnist.Pixels, Mnist.Pixels);
    }

    /// <summary>Pixels as floats 0..255, shape (Count, 784).</summary>
    public Matrix<float> RawPixels() => Pixels<float>(1);

    /// <summary>Pixels as T 0..255, shape (Count, 784): <c>RawPixels&lt;double&gt;()</c> is numpy's array of the file.</summary>
    public Matrix<T> RawPixels<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => Pixels<T>(1);

    /// <summary>Pixels scaled to [0, 1] (p / 255) as floats, shape (Count, 784).</summary>
    public Matrix<float> ScaledPixels() => Pixels<float>(255);

    /// <summary>Pixels scaled to [0, 1] (p / 255) as T, shape (Count, 784).</summary>
    public Matrix<T> ScaledPixels<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => Pixels<T>(255);

    /// <summary>p / <paramref name="divisor"/> as T, each a correctly rounded division as numpy's <c>x / 256</c> is; (Count, 784).</summary>
    public Matrix<T> Pixels<T>(double divisor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(divisor > 0) || !double.IsFinite(divisor))
        {
            throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "Expected a finite divisor > 0");
        }
        return Map<T>(divisor, 0, 1);
    }

    /// <summary>Pixels standardised with <paramref name="stats"/> ((p/255 − mean) / std), shape (Count, 784); pass the TRAIN stats for the test set too.</summary>
    public Matrix<float> StandardizedPixels(PixelStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        if (!(stats.Std > 0) || !float.IsFinite(stats.Mean))
        {
            throw new ArgumentException($"Expected a finite mean and a positive std but got {stats}", nameof(stats));
        }
        return Map<float>(255, stats.Mean, stats.Std);
    }

    /// <summary>Mean and std of this set's pixels on the [0, 1] scale, for <see cref="StandardizedPixels"/>.</summary>
    public PixelStats ComputePixelStats() => PixelStats.Of(Images);

    /// <summary>The first <paramref name="limit"/> images (all of them when there are fewer); copies.</summary>
    public MnistSet Take(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return Slice(0, Math.Min(limit, Count));
    }

    /// <summary>Images start .. start + count − 1; copies.</summary>
    public MnistSet Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if ((long)start + count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Expected start + count <= {Count} but got {start} + {count}");
        }
        return new MnistSet(Images.AsSpan(start * Mnist.Pixels, count * Mnist.Pixels).ToArray(), Labels.AsSpan(start, count).ToArray());
    }

    /// <summary>The images at <paramref name="indices"/>, in that order (repeats allowed); copies.</summary>
    public MnistSet Subset(ReadOnlySpan<int> indices)
    {
        var images = new byte[indices.Length * Mnist.Pixels];
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int k = indices[i];
            if ((uint)k >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"Expected indices in 0..{Count - 1} but got {k} at position {i}");
            }
            Images.AsSpan(k * Mnist.Pixels, Mnist.Pixels).CopyTo(images.AsSpan(i * Mnist.Pixels));
            labels[i] = Labels[k];
        }
        return new MnistSet(images, labels);
    }

    /// <summary>How many images of each digit: element d counts label d.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[Mnist.Classes];
        foreach (int label in Labels)
        {
            counts[label]++;
        }
        return counts;
    }

    /// <summary>Labels one-hot encoded as floats, shape (Count, 10).</summary>
    public Matrix<float> OneHotLabels() => OneHotLabels<float>();

    /// <summary>Labels one-hot encoded as T, shape (Count, 10).</summary>
    public Matrix<T> OneHotLabels<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = new Matrix<T>(Count, Mnist.Classes);
        for (int i = 0; i < Count; i++)
        {
            m[i, Labels[i]] = T.One;
        }
        return m;
    }

    public override string ToString() => FormattableString.Invariant($"MnistSet ({Count} images, 28 × 28)");

    private Matrix<T> Map<T>(double divisor, double mean, double std)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = new Matrix<T>(Count, Mnist.Pixels);
        if (typeof(T) == typeof(float))
        {
            PixelTransform.Apply(
                Images,
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(m.Data.AsSpan()),
                (float)divisor,
                (float)mean,
                (float)std
            );
        }
        else
        {
            for (int i = 0; i < Images.Length; i++)
            {
                m.Data[i] = T.CreateTruncating(((Images[i] / divisor) - mean) / std);
            }
        }
        return m;
    }
}

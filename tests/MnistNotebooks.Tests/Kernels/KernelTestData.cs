using System.Numerics;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Tests.Kernels;

/// <summary>Shared inputs for the kernel tests: sizes that hit every vector remainder, and seeded random data.</summary>
/// <remarks>The tests force narrower widths themselves (<see cref="Widths"/>); <see cref="RuntimeSwitchTests"/> also runs
/// them with the JIT's AVX-512, then AVX2, switched off (other FMA paths, other Vector512/256 lowering).</remarks>
internal static class KernelTestData
{
    /// <summary>0, 1, …, around every vector width (2, 4, 8, 16 lanes) and tile width (6, 8, 16, 32).</summary>
    public static readonly int[] Sizes = [0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 129];

    /// <summary>Vector widths to force: 0 = the hardware's widest, then narrower ones (ignored above the hardware's).</summary>
    public static readonly int[] Widths = [0, 256, 128];

    /// <summary>U(−scale, scale) in T from numpy's generator.</summary>
    public static Matrix<T> Random<T>(int rows, int cols, int seed, double scale = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] u = new RandomState(seed).RandomSample(rows * cols);
        return new Matrix<T>(rows, cols, [.. u.Select(v => T.CreateTruncating(scale * (2 * v - 1)))]);
    }

    public static Matrix<float> Random(int rows, int cols, int seed, float scale = 1f) => Random<float>(rows, cols, seed, scale);

    public static T[] RandomArray<T>(int length, int seed, double scale = 1)
        where T : unmanaged, IFloatingPointIeee754<T> => Random<T>(1, length, seed, scale).Data;

    public static float[] RandomArray(int length, int seed, float scale = 1f) => RandomArray<float>(length, seed, scale);
}

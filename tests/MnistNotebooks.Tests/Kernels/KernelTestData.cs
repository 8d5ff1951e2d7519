namespace MnistNotebooks.Tests.Kernels;

/// <summary>Shared inputs for the kernel tests: sizes that hit every vector remainder, and seeded random data.</summary>
/// <remarks>The tests force narrower widths themselves (<see cref="Widths"/>); <see cref="RuntimeSwitchTests"/> also runs
/// them with the JIT's AVX-512, then AVX2, switched off (other FMA paths, other Vector512/256 lowering).</remarks>
internal static class KernelTestData
{
    /// <summary>0, 1, …, around every vector width (4, 8, 16) and tile width (6, 8, 16, 32).</summary>
    public static readonly int[] Sizes = [0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 129];

    /// <summary>Vector widths to force: 0 = the hardware's widest, then narrower ones (ignored above the hardware's).</summary>
    public static readonly int[] Widths = [0, 256, 128];

    public static Matrix Random(int rows, int cols, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        var m = new Matrix(rows, cols);
        for (int i = 0; i < m.Length; i++)
        {
            m.Data[i] = scale * ((2f * random.NextSingle()) - 1f);
        }
        return m;
    }

    public static float[] RandomArray(int length, int seed, float scale = 1f) => Random(1, length, seed, scale).Data;
}

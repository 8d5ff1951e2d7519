using MnistNotebooks.Data;
using MnistNotebooks.Randomness;

namespace MnistNotebooks.Tests.Data;

public sealed class PixelTransformTests
{
    public static TheoryData<int> Lengths() =>
        [0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 784, 3 * 784];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void VectorPathMatchesTheScalarReferenceBitForBit(int length)
    {
        var rng = new RandomState(length);
        byte[] pixels = [.. rng.Randint(0, 256, length).Select(v => (byte)v)];
        (float Divisor, float Mean, float Std)[] forms = [(1f, 0f, 1f), (255f, 0f, 1f), (255f, 0.1307f, 0.3081f)];

        foreach (var (divisor, mean, std) in forms)
        {
            var fast = new float[length];
            var reference = new float[length];
            PixelTransform.Apply(pixels, fast, divisor, mean, std);
            PixelTransform.Reference(pixels, reference, divisor, mean, std);
            Assert.Equal(reference, fast);
        }
    }

    [Fact]
    public void FormsMatchTheirTextbookFormulas()
    {
        byte[] pixels = Enumerable.Range(0, 256).Select(v => (byte)v).ToArray();
        var raw = new float[256];
        var scaled = new float[256];
        var standardized = new float[256];

        PixelTransform.Apply(pixels, raw, 1f, 0f, 1f);
        PixelTransform.Apply(pixels, scaled, 255f, 0f, 1f);
        PixelTransform.Apply(pixels, standardized, 255f, 0.1307f, 0.3081f);

        for (int v = 0; v < 256; v++)
        {
            Assert.Equal(v, raw[v]);
            Assert.Equal(v / 255f, scaled[v]);
            Assert.Equal(((v / 255f) - 0.1307f) / 0.3081f, standardized[v]);
        }
    }
}

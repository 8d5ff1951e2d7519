using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MnistNotebooks.Randomness;
using MnistNotebooks.Tests.Randomness;

namespace MnistNotebooks.Tests.Tensors;

/// <summary>numpy-style arithmetic on matrices: hand-computed cases, and every operation against numpy itself
/// (Tensors/numpy_ops.py run by Debian's python3): bit for bit, except exp and log (numpy's own AVX-512 routines differ from
/// the C library's, which .NET calls, by up to an ulp: measured below) and the matrix product (another summation order).</summary>
public sealed class MatrixOperatorsTests
{
    private static readonly Lazy<Dictionary<string, Matrix<double>>> Numpy = new(RunNumpy);

    [Fact]
    public void BroadcastingByHand()
    {
        var a = new Matrix<double>(2, 3, [1, 2, 3, 4, 5, 6]);
        Assert.Equal([11, 22, 33, 14, 25, 36], (a + new Matrix<double>(1, 3, [10, 20, 30])).Data);
        Assert.Equal([0, 1, 2, 2, 3, 4], (a - new Matrix<double>(2, 1, [1, 2])).Data);
        Assert.Equal([1, 3, 5, 7, 9, 11], (2 * a - 1).Data);
        Assert.Equal([0.5, 0.25], (1 / new Matrix<double>(1, 2, [2, 4])).Data);
        var outer = new Matrix<double>(2, 1, [1, 2]) * new Matrix<double>(1, 3, [1, 10, 100]);
        Assert.Equal((2, 3), (outer.Rows, outer.Cols));
        Assert.Equal([1, 10, 100, 2, 20, 200], outer.Data);
        var ex = Assert.Throws<ShapeMismatchException>(() => a + new Matrix<double>(3, 2));
        Assert.Equal("Cannot broadcast (2, 3) + (3, 2): each axis must be equal or 1", ex.Message);
    }

    [Fact]
    public void ReductionsAndComparisonsByHand()
    {
        var a = new Matrix<float>(2, 3, [1, -2, 3, 4, 5, -6]);
        Assert.Equal(5f, a.Sum());
        Assert.Equal([5f, 3f, -3f], a.Sum(axis: 0).Data);
        Assert.Equal([2f, 3f], a.Sum(axis: 1).Data);
        Assert.Equal((2, 1), (a.Sum(axis: 1).Rows, a.Sum(axis: 1).Cols));
        Assert.Equal([3f, 5f], a.Max(axis: 1).Data);
        Assert.Equal([1, 1, 0], a.Argmax(axis: 0));
        Assert.Equal([2, 1], a.Argmax(axis: 1));
        Assert.Equal([1f, 0f, 1f, 1f, 1f, 0f], (a > 0).Data);
        Assert.Equal([1f, 0f, 3f, 4f, 5f, 0f], a.Maximum(0).Data);
        Assert.Equal(1, new Matrix<double>(1, 3, [1, double.NaN, 2]).Argmax(axis: 1)[0]);
        Assert.True(double.IsNaN(new Matrix<double>(1, 2, [double.NaN, 1]).Maximum(0).Data[0]));
        Assert.Equal(-6f, a.Min());
        Assert.Equal([1f, -2f, -6f], a.Min(axis: 0).Data);
        Assert.Equal([0f, -2f, 0f, 0f, 0f, -6f], a.Minimum(0).Data);
        Assert.Equal(2, a.Count(v => v < 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Sum(axis: 2));
    }

    [NumpyTheory]
    [InlineData("add")]
    [InlineData("sub_row")]
    [InlineData("mul_col")]
    [InlineData("div")]
    [InlineData("scalar")]
    [InlineData("rscalar")]
    [InlineData("exp")]
    [InlineData("log")]
    [InlineData("maximum")]
    [InlineData("clip")]
    [InlineData("greater")]
    [InlineData("sum_all")]
    [InlineData("sum_long")]
    [InlineData("sum_axis0")]
    [InlineData("sum_axis1")]
    [InlineData("sum_rows")]
    [InlineData("mean")]
    [InlineData("max_axis1")]
    [InlineData("argmax0")]
    [InlineData("argmax1")]
    [InlineData("outer")]
    public void EqualsNumpyBitForBit(string name)
    {
        Matrix<double> expected = Numpy.Value[name];
        Matrix<double> actual = Compute()[name];
        Assert.Equal((expected.Rows, expected.Cols), (actual.Rows, actual.Cols));
        long allowed = name switch
        {
            "exp" or "log" => 1,
            "rscalar" => 2,
            _ => 0,
        }; // 1 / (1 + e) carries exp's ulp through one more rounding
        for (int i = 0; i < expected.Length; i++)
        {
            long ulps = Math.Abs(BitConverter.DoubleToInt64Bits(expected.Data[i]) - BitConverter.DoubleToInt64Bits(actual.Data[i]));
            Assert.True(
                expected.Data[i].Equals(actual.Data[i]) || ulps <= allowed,
                $"{name}[{i}]: numpy {expected.Data[i]:R}, ours {actual.Data[i]:R}: {ulps} ulp apart (allowed {allowed})"
            );
        }
    }

    /// <summary>The product sums in another order than OpenBLAS: equal to within a few ulp of the sums' magnitude.</summary>
    [NumpyFact]
    public void DotAgreesWithNumpyToRoundingError()
    {
        Matrix<double> expected = Numpy.Value["dot"],
            actual = Compute()["dot"];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected.Data[i] - actual.Data[i]) <= 1e-12 * 37 * 20 * 2,
                $"dot[{i}]: {expected.Data[i]:R} vs {actual.Data[i]:R}"
            );
        }
    }

    /// <summary>The same expressions as numpy_ops.py, on the same draws from RandomState(0).</summary>
    private static Dictionary<string, Matrix<double>> Compute()
    {
        var rs = new RandomState(0);
        Matrix<double> a = rs.Rand(37, 11) * 40 - 20,
            b = rs.Rand(37, 11) * 4 - 2,
            row = rs.Rand(1, 11) - 0.5,
            col = rs.Rand(37, 1) + 0.5,
            longRow = rs.Randn(1, 1000);
        Matrix<double> One(double v) => new(1, 1, [v]);
        Matrix<double> Ints(int[] v) => new(1, v.Length, [.. v.Select(i => (double)i)]);
        return new()
        {
            ["add"] = a + b,
            ["sub_row"] = a - row,
            ["mul_col"] = a * col,
            ["div"] = a / b,
            ["scalar"] = 2 * a - 1,
            ["rscalar"] = 1 / (1 + (-a).Exp()),
            ["exp"] = (a * 30).Exp(),
            ["log"] = a.Abs().Log(),
            ["maximum"] = a.Maximum(0),
            ["clip"] = a.Clip(-5, 5),
            ["greater"] = a * (b > 0),
            ["sum_all"] = One(a.Sum()),
            ["sum_long"] = One(longRow.Sum()),
            ["sum_axis0"] = a.Sum(axis: 0),
            ["sum_axis1"] = (longRow * 3).Sum(axis: 1),
            ["sum_rows"] = a.Sum(axis: 1),
            ["mean"] = One(a.Mean()),
            ["max_axis1"] = a.Max(axis: 1),
            ["argmax0"] = Ints(a.Argmax(axis: 0)),
            ["argmax1"] = Ints(a.Argmax(axis: 1)),
            ["outer"] = Matrix<double>.Outer(a.Row(0), b.Row(1)),
            ["dot"] = a.Transpose().Dot(b),
        };
    }

    private static Dictionary<string, Matrix<double>> RunNumpy()
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Tensors", "numpy_ops.py");
        var psi = new ProcessStartInfo(NumpyOracle.PythonPath, [script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment.Remove("OPENBLAS_CORETYPE");
        using var process = Process.Start(psi)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{script} failed: {error}");
        var result = new Dictionary<string, Matrix<double>>();
        foreach (JsonProperty p in JsonDocument.Parse(output).RootElement.EnumerateObject().Where(p => p.Name != "numpy"))
        {
            int[] shape = [.. p.Value[0].EnumerateArray().Select(e => e.GetInt32())];
            double[] values = [.. p.Value[1].EnumerateArray().Select(e => ParseHex(e.GetString()!))];
            result[p.Name] = new Matrix<double>(shape[0], shape.Length > 1 ? shape[1] : 1, values);
        }
        return result;
    }

    /// <summary>Python's float.hex(): [-]0x1.hhhhp±d, or inf / nan.</summary>
    private static double ParseHex(string s) =>
        s switch
        {
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            "nan" => double.NaN,
            _ => ParseFinite(s),
        };

    private static double ParseFinite(string s)
    {
        bool negative = s.StartsWith('-');
        string body = negative ? s[3..] : s[2..];
        int p = body.IndexOf('p', StringComparison.Ordinal);
        string[] parts = body[..p].Split('.');
        int exponent = int.Parse(body[(p + 1)..], CultureInfo.InvariantCulture);
        ulong mantissa = parts.Length > 1 && parts[1].Length > 0 ? ulong.Parse(parts[1].PadRight(13, '0'), NumberStyles.HexNumber) : 0;
        double value =
            parts[0] == "0"
                ? mantissa * Math.Pow(2, -1022 - 52)
                : BitConverter.Int64BitsToDouble((long)(((ulong)(exponent + 1023) << 52) | mantissa));
        return negative ? -value : value;
    }
}

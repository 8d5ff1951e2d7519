using System.Globalization;

namespace MnistNotebooks.Doctor;

/// <summary>Numbers in evidence lines, in the invariant culture: three significant digits (whole numbers from 1,000),
/// exponents below 1e-3 and from 1e5, thousands separators for counts.</summary>
internal static class Fmt
{
    public static string G(double v)
    {
        if (double.IsNaN(v))
        {
            return "NaN";
        }
        if (double.IsInfinity(v))
        {
            return v > 0 ? "+∞" : "−∞";
        }
        double a = Math.Abs(v);
        return a == 0 ? "0"
            : a >= 1e5 || a < 1e-3 ? v.ToString("0.00e+0", CultureInfo.InvariantCulture)
            : a >= 1000 ? v.ToString("0", CultureInfo.InvariantCulture)
            : v.ToString("G3", CultureInfo.InvariantCulture);
    }

    /// <summary>A fixed number of decimals, e.g. a loss: <c>2.3026</c>.</summary>
    public static string F(double v, int decimals = 4) =>
        double.IsFinite(v) ? v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : G(v);

    /// <summary>A share as a percentage, e.g. <c>99.9%</c>.</summary>
    public static string Pct(double fraction) =>
        double.IsFinite(fraction) ? (100 * fraction).ToString("0.#", CultureInfo.InvariantCulture) + "%" : G(fraction);

    /// <summary>A count, e.g. <c>60,000</c>.</summary>
    public static string N(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);
}

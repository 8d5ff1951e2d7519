using System.Globalization;
using System.Numerics;

namespace MnistNotebooks;

/// <summary>Thrown when a matrix does not have the shape an operation needs; the message names both.</summary>
public sealed class ShapeMismatchException : ArgumentException
{
    public ShapeMismatchException(string message, string? paramName = null)
        : base(message, paramName) { }

    /// <summary>Throws unless <paramref name="m"/> is (rows, cols); <c>-1</c> accepts any size on that axis.</summary>
    /// <example><c>Expected input (batch, 784) but got (32, 783)</c></example>
    public static void ThrowIfNot<T>(Matrix<T> m, int rows, int cols, string what, string rowsName = "rows", string colsName = "cols")
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(m, what);
        if ((rows >= 0 && m.Rows != rows) || (cols >= 0 && m.Cols != cols))
        {
            string r = rows >= 0 ? rows.ToString(CultureInfo.InvariantCulture) : rowsName;
            string c = cols >= 0 ? cols.ToString(CultureInfo.InvariantCulture) : colsName;
            throw new ShapeMismatchException($"Expected {what} ({r}, {c}) but got {m.Shape}", what);
        }
    }
}

using System.Globalization;

namespace ChartBuster.Songs.Csv;

/// <summary>
/// Parses UTF-8 decimals. Plain numbers ([-+]digits[.digits], at most 15 digits) take an exact fast
/// path: the digits form an integer below 2^53 and the power of ten is exact, so one IEEE division
/// gives the correctly rounded double, the same bits as <see cref="double.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider, out double)"/>.
/// Anything else (exponents, long mantissas, NaN, junk) goes to that method.
/// </summary>
public static class FastDecimal
{
    private const int MaxFastDigits = 15;

    private static readonly double[] s_powersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];

    public static bool TryParse(ReadOnlySpan<byte> text, out double value)
    {
        var i = 0;
        var negative = false;
        if (text.Length > 0 && (text[0] == (byte)'-' || text[0] == (byte)'+'))
        {
            negative = text[0] == (byte)'-';
            i = 1;
        }

        ulong mantissa = 0;
        var start = i;
        for (; i < text.Length && (uint)(text[i] - '0') <= 9; i++)
        {
            mantissa = (mantissa * 10) + (uint)(text[i] - '0');
        }

        var digits = i - start;
        var fractionDigits = 0;
        if (i < text.Length && text[i] == (byte)'.')
        {
            var fractionStart = ++i;
            for (; i < text.Length && (uint)(text[i] - '0') <= 9; i++)
            {
                mantissa = (mantissa * 10) + (uint)(text[i] - '0');
            }

            fractionDigits = i - fractionStart;
            digits += fractionDigits;
        }

        if (i != text.Length || digits == 0 || digits > MaxFastDigits)
        {
            return Fallback(text, out value);
        }

        value = mantissa / s_powersOfTen[fractionDigits];
        value = negative ? -value : value;
        return true;
    }

    private static bool Fallback(ReadOnlySpan<byte> text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}

using System.Globalization;
using System.Runtime.CompilerServices;

namespace ChartBuster.Songs.Csv;

/// <summary>
/// Parses UTF-8 decimals. Plain numbers ([-+]digits[.digits][e[-+]digits], at most 15 significant digits and a
/// decimal exponent within ±22) take an exact fast path: the digits form an integer below 2^53 and the power
/// of ten is exact, so one IEEE multiplication or division gives the correctly rounded double, the same bits as
/// <see cref="double.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider, out double)"/>. Anything else
/// (long mantissas, large exponents, NaN, blanks, junk) goes to that method.
/// </summary>
public static class FastDecimal
{
    private const int MaxFastDigits = 15;
    private const int MaxExactPower = 22;

    private static ReadOnlySpan<double> PowersOfTen =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

        if (digits == 0 || digits > MaxFastDigits)
        {
            return Fallback(text, out value);
        }

        if (i == text.Length)
        {
            value = mantissa / PowersOfTen[fractionDigits];
            value = negative ? -value : value;
            return true;
        }

        return TryScaleByExponent(text, i, mantissa, fractionDigits, negative, out value);
    }

    /// <summary>The digits are followed by something: an exponent within the exact range, or anything else for the fallback.</summary>
    private static bool TryScaleByExponent(ReadOnlySpan<byte> text, int i, ulong mantissa, int fractionDigits, bool negative, out double value)
    {
        if ((text[i] | 0x20) != (byte)'e' || !TryReadExponent(text, ref i, out var exponent) || i != text.Length)
        {
            return Fallback(text, out value);
        }

        var power = exponent - fractionDigits;
        if (power < -MaxExactPower || power > MaxExactPower)
        {
            return Fallback(text, out value);
        }

        value = power < 0 ? mantissa / PowersOfTen[-power] : mantissa * PowersOfTen[power];
        value = negative ? -value : value;
        return true;
    }

    /// <summary>Reads "e[-+]digits" at <paramref name="i"/> (at most four digits); false when it is not that.</summary>
    private static bool TryReadExponent(ReadOnlySpan<byte> text, ref int i, out int exponent)
    {
        exponent = 0;
        var j = i + 1;
        var negative = false;
        if (j < text.Length && (text[j] == (byte)'-' || text[j] == (byte)'+'))
        {
            negative = text[j] == (byte)'-';
            j++;
        }

        var first = j;
        for (; j < text.Length && j - first < 4 && (uint)(text[j] - '0') <= 9; j++)
        {
            exponent = (exponent * 10) + (text[j] - '0');
        }

        if (j == first)
        {
            return false;
        }

        exponent = negative ? -exponent : exponent;
        i = j;
        return true;
    }

    private static bool Fallback(ReadOnlySpan<byte> text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}

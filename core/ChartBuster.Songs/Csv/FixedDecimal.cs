using System.Buffers.Text;
using System.Globalization;

namespace ChartBuster.Songs.Csv;

/// <summary>
/// Formats a double with at most six decimals. Engineered features need no more precision than that,
/// and this is several times faster than shortest round-trip formatting on the hot path.
/// </summary>
public static class FixedDecimal
{
    private const double Scale = 1e6;
    private const double Limit = 9e12; // beyond this, scaled values would not fit comfortably in a long

    public static int Format(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Only finite numbers are written.");
        }

        if (Math.Abs(value) >= Limit)
        {
            value.TryFormat(destination, out var big, "R", CultureInfo.InvariantCulture);
            return big;
        }

        var scaled = (long)Math.Round(value * Scale, MidpointRounding.AwayFromZero);
        var n = 0;
        if (scaled < 0)
        {
            destination[n++] = (byte)'-';
            scaled = -scaled;
        }

        var whole = scaled / 1_000_000;
        var fraction = (int)(scaled % 1_000_000);
        Utf8Formatter.TryFormat(whole, destination[n..], out var written);
        n += written;
        if (fraction == 0)
        {
            return n;
        }

        destination[n++] = (byte)'.';
        var digits = 6;
        while (fraction % 10 == 0)
        {
            fraction /= 10;
            digits--;
        }

        for (var d = digits - 1; d >= 0; d--)
        {
            destination[n + d] = (byte)('0' + (fraction % 10));
            fraction /= 10;
        }

        return n + digits;
    }
}

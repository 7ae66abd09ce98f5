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

    private static readonly byte[] s_pairs = [.. Enumerable.Range(0, 100).SelectMany(i => new[] { (byte)('0' + (i / 10)), (byte)('0' + (i % 10)) })];

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

        var whole = (ulong)scaled / 1_000_000;
        var fraction = (uint)((ulong)scaled % 1_000_000);
        if (whole < 10)
        {
            destination[n++] = (byte)('0' + whole);
        }
        else
        {
            Utf8Formatter.TryFormat(whole, destination[n..], out var written);
            n += written;
        }

        if (fraction == 0)
        {
            return n;
        }

        // Six fraction digits, written as three pairs, then trailing zeros dropped.
        destination[n] = (byte)'.';
        var pairs = s_pairs;
        for (var p = 2; p >= 0; p--)
        {
            var pair = (int)(fraction % 100) * 2;
            fraction /= 100;
            destination[n + 1 + (p * 2)] = pairs[pair];
            destination[n + 2 + (p * 2)] = pairs[pair + 1];
        }

        var last = n + 6;
        while (destination[last] == (byte)'0')
        {
            last--;
        }

        return last + 1;
    }
}

using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ChartBuster.Songs.Csv;

/// <summary>
/// Formats a double with at most six decimals. Engineered features need no more precision than that,
/// and this is several times faster than shortest round-trip formatting on the hot path (twelve numbers
/// per ready row): the value is rounded once to millionths, then written two digits at a time.
/// </summary>
public static class FixedDecimal
{
    /// <summary>The most bytes <see cref="Format"/> writes.</summary>
    public const int MaxLength = 40;

    private const double Scale = 1e6;
    private const double Limit = 9e12; // beyond this, scaled values would not fit comfortably in a long

    /// <summary>"00", "01", … "99": two digits read with one 16-bit load (constant data).</summary>
    private static ReadOnlySpan<byte> Pairs =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    public static int Format(double value, Span<byte> destination)
    {
        if (!(Math.Abs(value) < Limit))
        {
            return FormatLarge(value, destination);
        }

        if (destination.Length < MaxLength)
        {
            ThrowTooShort();
        }

        if (value is 0 or 1)
        {
            // Two of the twelve engineered features are flags: one digit, no arithmetic.
            destination[0] = value == 0 ? (byte)'0' : (byte)'1';
            return 1;
        }

        var scaled = (long)Math.Round(value * Scale, MidpointRounding.AwayFromZero);
        ref var start = ref MemoryMarshal.GetReference(destination);
        var n = 0;
        if (scaled < 0)
        {
            start = (byte)'-';
            n = 1;
            scaled = -scaled;
        }

        var whole = (ulong)scaled / 1_000_000;
        var fraction = (uint)((ulong)scaled - (whole * 1_000_000));
        n += whole < 1000 ? WriteSmallWhole(ref Unsafe.Add(ref start, n), (uint)whole) : WriteLargeWhole(destination[n..], whole);
        if (fraction == 0)
        {
            return n;
        }

        // Six fraction digits as three pairs, then trailing zeros dropped.
        Unsafe.Add(ref start, n) = (byte)'.';
        var high = fraction / 10_000;
        var rest = fraction - (high * 10_000);
        var middle = rest / 100;
        var low = rest - (middle * 100);
        CopyPair(ref Unsafe.Add(ref start, n + 1), high);
        CopyPair(ref Unsafe.Add(ref start, n + 3), middle);
        CopyPair(ref Unsafe.Add(ref start, n + 5), low);
        var digits = low != 0 ? 6 : middle != 0 ? 4 : 2;
        if (Unsafe.Add(ref start, n + digits) == (byte)'0')
        {
            digits--;
        }

        return n + 1 + digits;
    }

    /// <summary>Writes 1000 to 9999 as four digits (the caller makes room).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void WriteFourDigits(Span<byte> destination, uint value)
    {
        ref var start = ref MemoryMarshal.GetReference(destination[..4]);
        var high = value / 100;
        CopyPair(ref start, high);
        CopyPair(ref Unsafe.Add(ref start, 2), value - (high * 100));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WriteSmallWhole(ref byte target, uint whole)
    {
        if (whole < 10)
        {
            target = (byte)('0' + whole);
            return 1;
        }

        if (whole < 100)
        {
            CopyPair(ref target, whole);
            return 2;
        }

        var hundreds = whole / 100;
        target = (byte)('0' + hundreds);
        CopyPair(ref Unsafe.Add(ref target, 1), whole - (hundreds * 100));
        return 3;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WriteLargeWhole(Span<byte> destination, ulong whole)
    {
        Utf8Formatter.TryFormat(whole, destination, out var written);
        return written;
    }

    /// <summary>Values too large for millionths in a long, written in full; refuses NaN and infinities.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int FormatLarge(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Only finite numbers are written.");
        }

        value.TryFormat(destination, out var written, "R", CultureInfo.InvariantCulture);
        return written;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyPair(ref byte target, uint pair) =>
        Unsafe.WriteUnaligned(ref target, Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref MemoryMarshal.GetReference(Pairs), (int)pair * 2)));

    private static void ThrowTooShort() =>
        throw new ArgumentException($"Needs room for {MaxLength} bytes.", "destination");
}

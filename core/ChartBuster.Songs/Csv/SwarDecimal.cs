using System.Numerics;
using System.Runtime.CompilerServices;

namespace ChartBuster.Songs.Csv;

/// <summary>Decimal digits eight at a time in one 64-bit word (first character in the lowest byte).</summary>
internal static class SwarDecimal
{
    /// <summary>10^0 to 10^8, exact as integers and as doubles (constant data: no static initialisation to check).</summary>
    public static ReadOnlySpan<ulong> PowersOfTen => [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

    /// <summary>The same as doubles (no conversion on the hot path).</summary>
    public static ReadOnlySpan<double> DoublePowersOfTen => [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

    /// <summary>
    /// How many of the word's first bytes (at most <paramref name="limit"/>) are ASCII digits, and their value.
    /// Returns 8 when all eight are digits and the limit allows more: the caller falls back to a slower path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int DigitRun(ulong word, int limit, out ulong value)
    {
        if (!BitConverter.IsLittleEndian)
        {
            word = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(word);
        }

        // A byte's high bit is set in (word + 0x46) | (word - 0x30) exactly when it is not '0'..'9' (borrows and carries
        // only run towards later bytes, past the first non-digit, which is all that counts).
        var nonDigits = ((word + 0x4646464646464646UL) | (word - 0x3030303030303030UL)) & 0x8080808080808080UL;
        var run = nonDigits == 0 ? 8 : BitOperations.TrailingZeroCount(nonDigits) >> 3;
        if (run > limit)
        {
            run = Math.Max(limit, 0);
        }

        if (run == 8 && limit > 8)
        {
            value = 0;
            return 8;
        }

        value = run == 0 ? 0 : Convert(word << (8 * (8 - run)));
        return run;
    }

    /// <summary>Eight digits (as bytes '0'..'9', or 0 for leading zeros) to their value, by three multiply-and-shift steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Convert(ulong digits)
    {
        digits &= 0x0F0F0F0F0F0F0F0FUL;
        digits = (digits * 2561) >> 8;
        digits = ((digits & 0x00FF00FF00FF00FFUL) * 6553601) >> 16;
        return ((digits & 0x0000FFFF0000FFFFUL) * 42949672960001) >> 32;
    }
}

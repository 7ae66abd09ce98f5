namespace ChartBuster.Songs.Files;

/// <summary>A song file that cannot be read as what its name says; the message names the real problem.</summary>
public sealed class UnreadableSongFileException(string message, Exception? inner = null) : FormatException(message, inner);

/// <summary>
/// Opens a raw song file as UTF-8 CSV text: decompresses <c>.gz</c> (and checks that the gzip stream is whole),
/// and refuses, from its first bytes, what is not what its name says: gzip named <c>.csv</c>, a zip archive,
/// UTF-16 or UTF-32 text, binary data. Reading then throws <see cref="UnreadableSongFileException"/> for a
/// truncated or damaged gzip stream, so half a file is never taken for a whole one.
/// </summary>
public static class SongFileDecoder
{
    private const int SniffBytes = 4096;

    /// <param name="leaveOpen">Whether disposing the returned stream leaves <paramref name="raw"/> open (the caller's).</param>
    public static Stream Open(Stream raw, string sourceName, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var namedGzip = DatasetFileNames.IsGzip(sourceName);
        var rawStart = new PeekedStream(raw, SniffBytes, leaveOpen);
        if (RawProblem(rawStart.Start, namedGzip) is { } rawProblem)
        {
            throw new UnreadableSongFileException(rawProblem);
        }

        var text = new PeekedStream(namedGzip ? new CheckedGzipStream(rawStart) : rawStart, SniffBytes, leaveOpen: false);
        if (TextProblem(text.Start) is { } textProblem)
        {
            throw new UnreadableSongFileException(textProblem);
        }

        return text;
    }

    /// <summary>What is wrong with the stored bytes for a file with this name, or null.</summary>
    public static string? RawProblem(ReadOnlySpan<byte> start, bool namedGzip)
    {
        var gzip = start.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]);
        if (namedGzip && !gzip && !start.IsEmpty)
        {
            return "The file is named .gz but is not gzip-compressed: rename it to .csv if it is plain CSV.";
        }

        if (!namedGzip && gzip)
        {
            return "The file is gzip-compressed but named .csv: name it .csv.gz (or decompress it).";
        }

        return !namedGzip && start.StartsWith("PK\u0003\u0004"u8)
            ? "The file is a zip archive, not CSV: extract the CSV file from it and upload that."
            : null;
    }

    /// <summary>What is wrong with the first decoded bytes as UTF-8 CSV text, or null.</summary>
    public static string? TextProblem(ReadOnlySpan<byte> start)
    {
        if (start.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0, 0]) || start.StartsWith((ReadOnlySpan<byte>)[0, 0, 0xFE, 0xFF]))
        {
            return "The file is UTF-32 text; save it as UTF-8 CSV.";
        }

        if (start.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || start.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return "The file is UTF-16 text; save it as UTF-8 CSV.";
        }

        var zeros = start.Count((byte)0);
        if (zeros == 0)
        {
            return null;
        }

        // Latin text in UTF-16 has a zero in every other byte; anything else with zeros is not text at all.
        return zeros * 3 >= start.Length
            ? "The file looks like UTF-16 text (every other byte is zero); save it as UTF-8 CSV."
            : "The file holds binary data (zero bytes), not CSV text.";
    }
}

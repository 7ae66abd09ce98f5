using System.Text;
using ChartBuster.Songs.Csv;

namespace ChartBuster.Songs;

/// <summary>Validates the current CSV record against the data contract and reads its numbers.</summary>
public sealed class SongRowReader(SongHeader header, int fileDecade)
{
    private static readonly NumericRule[] s_rules = [.. SongSchema.NumericRules];

    public SongHeader Header => header;

    /// <summary>
    /// Reads the record's values into <paramref name="song"/> (decade included; target NaN when absent).
    /// Returns false with the first problem, in column order, when the row breaks a rule.
    /// </summary>
    public bool TryRead(CsvRecordReader record, ref SongNumbers song, out Rejection rejection)
    {
        ArgumentNullException.ThrowIfNull(record);
        rejection = default;
        if (record.Malformation != CsvMalformation.None)
        {
            rejection = new Rejection(null, RejectReason.MalformedQuotes);
            return false;
        }

        if (record.FieldCount != header.FieldCount)
        {
            rejection = new Rejection(null, RejectReason.WrongFieldCount);
            return false;
        }

        if (header.ForTraining && Trim(record[header.OrdinalOf(SongColumn.Uri)]).IsEmpty)
        {
            rejection = new Rejection(SongColumn.Uri, RejectReason.MissingValue);
            return false;
        }

        foreach (var rule in s_rules)
        {
            var ordinal = header.OrdinalOf(rule.Column);
            if (ordinal < 0)
            {
                song[rule.Column] = double.NaN; // only target may be absent (scoring input)
                continue;
            }

            if (!TryReadNumber(record[ordinal], rule, out var value, out var reason))
            {
                rejection = new Rejection(rule.Column, reason);
                return false;
            }

            song[rule.Column] = value;
        }

        if (song[SongColumn.ChorusHit] > song[SongColumn.DurationMs] / 1000)
        {
            rejection = new Rejection(SongColumn.ChorusHit, RejectReason.ChorusAfterEnd);
            return false;
        }

        if (!TryReadDecade(record, out var decade))
        {
            rejection = new Rejection(SongColumn.Decade, RejectReason.InvalidDecade);
            return false;
        }

        song[SongColumn.Decade] = decade;
        return true;
    }

    /// <summary>The uri without surrounding blanks: the identity of a song (empty when the file has none).</summary>
    public ReadOnlySpan<byte> Uri(CsvRecordReader record) =>
        header.Has(SongColumn.Uri) ? Trim(record[header.OrdinalOf(SongColumn.Uri)]) : [];

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> field)
    {
        var start = 0;
        var end = field.Length;
        while (start < end && field[start] is (byte)' ' or (byte)'\t')
        {
            start++;
        }

        while (end > start && field[end - 1] is (byte)' ' or (byte)'\t')
        {
            end--;
        }

        return field[start..end];
    }

    private static bool TryReadNumber(ReadOnlySpan<byte> field, NumericRule rule, out double value, out RejectReason reason)
    {
        reason = default;
        value = double.NaN;
        var text = Trim(field);
        if (text.IsEmpty)
        {
            reason = RejectReason.MissingValue; // a blank is missing, never 0
            return false;
        }

        if (!FastDecimal.TryParse(text, out value))
        {
            reason = RejectReason.NotANumber;
            return false;
        }

        if (rule.Check(value) is { } broken)
        {
            reason = broken;
            return false;
        }

        return true;
    }

    private bool TryReadDecade(CsvRecordReader record, out int decade)
    {
        decade = fileDecade;
        var ordinal = header.OrdinalOf(SongColumn.Decade);
        if (ordinal < 0)
        {
            return true;
        }

        var text = Trim(record[ordinal]);
        if (text.IsEmpty)
        {
            return true; // a blank cell falls back to the file's decade
        }

        if (text.Length > 16)
        {
            return false;
        }

        Span<char> chars = stackalloc char[16];
        var length = Encoding.UTF8.GetChars(text, chars);
        return Decades.TryParse(chars[..length], out decade);
    }
}

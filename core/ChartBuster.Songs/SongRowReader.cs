using System.Text;
using ChartBuster.Songs.Csv;

namespace ChartBuster.Songs;

/// <summary>Validates the current CSV record against the data contract and reads its numbers.</summary>
public sealed class SongRowReader
{
    private readonly SongHeader _header;
    private readonly int _fileDecade;
    private readonly ColumnRule[] _rules;
    private readonly int[] _ordinals;
    private readonly SongColumn[] _absent;
    private readonly ColumnRule[] _featureInputs;
    private readonly int[] _featureOrdinals;
    private readonly int _uriOrdinal;
    private readonly int _decadeOrdinal;

    public SongRowReader(SongHeader header, int fileDecade)
    {
        ArgumentNullException.ThrowIfNull(header);
        _header = header;
        _fileDecade = fileDecade;
        var rules = SongSchema.NumericRules.Select(r => new ColumnRule(r.Column, header.OrdinalOf(r.Column), r.Min, r.Max, r.WholeNumber)).ToList();
        _rules = [.. rules.Where(r => r.Ordinal >= 0)];
        _ordinals = [.. _rules.Select(r => r.Ordinal)];
        _absent = [.. rules.Where(r => r.Ordinal < 0).Select(r => r.Column)];
        _featureInputs = [.. _rules.Where(r => SongFeatures.Inputs.Contains(r.Column))];
        _featureOrdinals = [.. _featureInputs.Select(r => r.Ordinal)];
        _uriOrdinal = header.OrdinalOf(SongColumn.Uri);
        _decadeOrdinal = header.OrdinalOf(SongColumn.Decade);
    }

    public SongHeader Header => _header;

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

        if (record.FieldCount != _header.FieldCount)
        {
            rejection = new Rejection(null, RejectReason.WrongFieldCount);
            return false;
        }

        if (_header.ForTraining && Trim(record[_uriOrdinal]).IsEmpty)
        {
            rejection = new Rejection(SongColumn.Uri, RejectReason.MissingValue);
            return false;
        }

        // Every number first (one tight loop), then every rule in column order, so the first problem is still the one reported.
        Span<double> values = stackalloc double[SongSchema.ColumnCount];
        var parsed = ReadNumbers(record, _ordinals, values, out var unreadable, out var reason);
        for (var k = 0; k < parsed; k++)
        {
            ref readonly var rule = ref _rules[k];
            var value = values[k];
            if (value < rule.Min || value > rule.Max)
            {
                rejection = new Rejection(rule.Column, RejectReason.OutOfRange);
                return false;
            }

            if (rule.WholeNumber && value != Math.Floor(value))
            {
                rejection = new Rejection(rule.Column, RejectReason.NotAnInteger);
                return false;
            }

            song[rule.Column] = value;
        }

        if (unreadable)
        {
            rejection = new Rejection(_rules[parsed].Column, reason);
            return false;
        }

        foreach (var column in _absent)
        {
            song[column] = double.NaN; // only target may be absent (scoring input)
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

    /// <summary>
    /// Reads what writing a row already known valid needs: the inputs of the engineered features and the decade, with
    /// no rule checks (the first pass made them). Throws when a value is no longer a number: the input changed.
    /// </summary>
    public void ReadValid(CsvRecordReader record, ref SongNumbers song)
    {
        ArgumentNullException.ThrowIfNull(record);
        Span<double> values = stackalloc double[SongSchema.ColumnCount];
        var parsed = ReadNumbers(record, _featureOrdinals, values, out var unreadable, out _);
        if (unreadable)
        {
            throw new InvalidDataException(
                $"The input changed between passes: line {record.LineNumber} has no {SongSchema.NameOf(_featureInputs[parsed].Column)} now.");
        }

        for (var k = 0; k < _featureInputs.Length; k++)
        {
            song[_featureInputs[k].Column] = values[k];
        }

        song[SongColumn.Decade] = DecadeOfValid(record);
    }

    /// <summary>
    /// The duplicate-index key of the record's song (<see cref="DuplicateIndex.Key"/> of its uri and decade), read before
    /// the rest of the row is validated; false when the row is already known invalid (malformed, wrong field count, bad
    /// decade). When <see cref="TryRead"/> then accepts the row, the key is the one its values give.
    /// </summary>
    internal bool TryEarlyKey(CsvRecordReader record, out ulong key)
    {
        key = 0;
        if (record.Malformation != CsvMalformation.None || record.FieldCount != _header.FieldCount || !TryReadDecade(record, out var decade))
        {
            return false;
        }

        key = DuplicateIndex.Key(Uri(record), decade);
        return true;
    }

    /// <summary>The decade of a row already known valid (a light pass reads no other value).</summary>
    public int DecadeOfValid(CsvRecordReader record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return TryReadDecade(record, out var decade)
            ? decade
            : throw new InvalidDataException($"The input changed between passes: line {record.LineNumber} has no valid decade now.");
    }

    /// <summary>The target of a row already known valid (NaN when the file has none).</summary>
    public double TargetOfValid(CsvRecordReader record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var ordinal = _header.OrdinalOf(SongColumn.Target);
        if (ordinal < 0)
        {
            return double.NaN;
        }

        return record.TryGetNumber(ordinal, out var target) || TryReadNumber(record[ordinal], out target, out _)
            ? target
            : throw new InvalidDataException($"The input changed between passes: line {record.LineNumber} has no target now.");
    }

    /// <summary>The uri without surrounding blanks: the identity of a song (empty when the file has none).</summary>
    public ReadOnlySpan<byte> Uri(CsvRecordReader record) =>
        _uriOrdinal >= 0 ? Trim(record[_uriOrdinal]) : [];

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

    /// <summary>
    /// Reads the numbers of the given fields, word at a time where it can and exactly otherwise; stops at the first
    /// field that is not a finite number (<paramref name="unreadable"/>, with the reason) and returns how many it read.
    /// </summary>
    private static int ReadNumbers(CsvRecordReader record, int[] ordinals, Span<double> values, out bool unreadable, out RejectReason reason)
    {
        unreadable = false;
        reason = default;
        var parsed = 0;
        while (true)
        {
            parsed += record.TryGetNumbers(ordinals.AsSpan(parsed), values[parsed..]);
            if (parsed == ordinals.Length)
            {
                return parsed;
            }

            if (!TryReadNumber(record[ordinals[parsed]], out values[parsed], out reason))
            {
                unreadable = true;
                return parsed;
            }

            parsed++;
        }
    }

    /// <summary>
    /// A field the word-at-a-time reader did not take: blanks around it, a blank (missing, never 0), an exponent,
    /// a plus sign or a long mantissa (all parsed exactly), or not a finite number.
    /// </summary>
    private static bool TryReadNumber(ReadOnlySpan<byte> field, out double value, out RejectReason reason)
    {
        reason = default;
        value = double.NaN;
        var text = Trim(field);
        if (text.IsEmpty)
        {
            reason = RejectReason.MissingValue;
            return false;
        }

        if (!FastDecimal.TryParse(text, out value) || !double.IsFinite(value))
        {
            reason = RejectReason.NotANumber;
            return false;
        }

        return true;
    }

    private bool TryReadDecade(CsvRecordReader record, out int decade)
    {
        decade = _fileDecade;
        if (_decadeOrdinal < 0)
        {
            return true;
        }

        var text = Trim(record[_decadeOrdinal]);
        if (text.IsEmpty)
        {
            return true; // a blank cell falls back to the file's decade
        }

        if (text.Length == 4 && (uint)(text[0] - '0') <= 9 && (uint)(text[1] - '0') <= 9 && (uint)(text[2] - '0') <= 9 && (uint)(text[3] - '0') <= 9)
        {
            // The common form, a four-digit year, without decoding text.
            decade = ((text[0] - '0') * 1000) + ((text[1] - '0') * 100) + ((text[2] - '0') * 10) + (text[3] - '0');
            return Decades.IsValid(decade);
        }

        if (text.Length > 16)
        {
            return false;
        }

        Span<char> chars = stackalloc char[16];
        var length = Encoding.UTF8.GetChars(text, chars);
        return Decades.TryParse(chars[..length], out decade);
    }

    private readonly record struct ColumnRule(SongColumn Column, int Ordinal, double Min, double Max, bool WholeNumber);
}

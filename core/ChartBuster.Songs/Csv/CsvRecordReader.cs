using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ChartBuster.Songs.Csv;

/// <summary>
/// Reads RFC 4180 records straight from UTF-8 bytes: quoted fields with commas, doubled quotes and
/// newlines, a BOM, CRLF or LF, blank lines (skipped and counted). Each record knows the physical line
/// it starts on, so a rejected row can be found in an editor. Fields are spans into an internal buffer
/// that stay valid until the next <see cref="Read"/>; nothing is allocated per record.
/// </summary>
public sealed class CsvRecordReader
{
    public const int DefaultMaxRecordBytes = 1 << 20;

    private static readonly SearchValues<byte> s_fieldEnds = SearchValues.Create(",\r\n"u8);

    /// <summary>Bytes kept free after the data, so that a vector or a word can be read anywhere in it (<see cref="TryGetNumbers"/>).</summary>
    private const int Slack = 32;

    private readonly Stream _stream;
    private readonly int _maxRecordBytes;
    private byte[] _buffer;
    private int _position;
    private int _dataEnd;
    private bool _endOfStream;
    private bool _started;
    private long _nextLine = 1;
    private int[] _starts = new int[32];
    private int[] _lengths = new int[32];
    private bool[] _quoted = new bool[32];

    public CsvRecordReader(Stream stream, int bufferSize = 1 << 16, int maxRecordBytes = DefaultMaxRecordBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _maxRecordBytes = maxRecordBytes;
        _buffer = new byte[Math.Min(bufferSize, maxRecordBytes) + Slack];
    }

    /// <summary>Physical line (1-based) on which the current record starts.</summary>
    public long LineNumber { get; private set; }

    public int FieldCount { get; private set; }

    public CsvMalformation Malformation { get; private set; }

    /// <summary>True when the record had no quoted field: its bytes are plain CSV that can be copied as they are.</summary>
    public bool IsSimple { get; private set; }

    public long BlankLinesSkipped { get; private set; }

    public long BytesConsumed { get; private set; }

    public ReadOnlySpan<byte> this[int index] => _buffer.AsSpan(_starts[index], _lengths[index]);

    /// <summary>True when a field starts or ends with a blank (space or tab): trimmed, it would not be its bytes as they are.</summary>
    public bool HasPaddedField()
    {
        var (starts, lengths) = (_starts, _lengths);
        ref var buffer = ref MemoryMarshal.GetArrayDataReference(_buffer);
        for (var f = 0; f < FieldCount; f++)
        {
            var length = lengths[f];
            if (length > 0 && (IsBlank(Unsafe.Add(ref buffer, starts[f])) || IsBlank(Unsafe.Add(ref buffer, starts[f] + length - 1))))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t';

    /// <summary>The bytes from the start of one field to the end of another, separators included (simple records only).</summary>
    public ReadOnlySpan<byte> FieldRange(int first, int last) =>
        _buffer.AsSpan(_starts[first], _starts[last] + _lengths[last] - _starts[first]);

    /// <summary>
    /// Reads fields that are plain decimals ([-]digits[.digits], at most 15 digits, nothing around them) eight bytes
    /// at a time, in the order given, and stops at the first that is anything else (blanks, exponents, a plus sign,
    /// text): returns how many it read, which the caller then continues with <see cref="FastDecimal"/>. Gives the same
    /// bits as <see cref="FastDecimal.TryParse"/>. Each field is several digits whose count varies row to row: a loop
    /// per digit mispredicts where it ends, eight-byte words do not; and one loop over a row's fields keeps the
    /// buffer and field tables in registers.
    /// </summary>
    public int TryGetNumbers(ReadOnlySpan<int> fields, Span<double> values)
    {
        if (values.Length < fields.Length)
        {
            throw new ArgumentException("Needs a value for every field.", nameof(values));
        }

        var (starts, lengths) = (_starts, _lengths);
        ref var buffer = ref MemoryMarshal.GetArrayDataReference(_buffer);
        for (var k = 0; k < fields.Length; k++)
        {
            var field = fields[k];
            if ((uint)field >= (uint)FieldCount
                || !TryParseWords(ref Unsafe.Add(ref buffer, starts[field]), lengths[field], out values[k]))
            {
                return k;
            }
        }

        return fields.Length;
    }

    /// <summary>One field, as <see cref="TryGetNumbers"/>.</summary>
    public bool TryGetNumber(int index, out double value)
    {
        value = 0;
        return (uint)index < (uint)FieldCount && TryParseWords(ref _buffer[_starts[index]], _lengths[index], out value);
    }

    /// <summary>The buffer's slack makes the eight-byte reads safe at any field, even the last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryParseWords(ref byte field, int length, out double value)
    {
        value = 0;
        var i = 0;
        var negative = length > 0 && field == (byte)'-';
        if (negative)
        {
            i = 1;
        }

        var whole = SwarDecimal.DigitRun(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref field, i)), length - i, out var mantissa);
        if (whole == 8)
        {
            return false;
        }

        i += whole;
        var fraction = 0;
        if (i < length && Unsafe.Add(ref field, i) == (byte)'.')
        {
            i++;
            fraction = SwarDecimal.DigitRun(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref field, i)), length - i, out var decimals);
            if (fraction == 8)
            {
                return false;
            }

            mantissa = (mantissa * SwarDecimal.PowersOfTen[fraction]) + decimals;
            i += fraction;
        }

        if (i != length || whole + fraction == 0)
        {
            return false;
        }

        // At most 14 digits, so converting them as signed is exact: one instruction, where unsigned takes several.
        // A whole number needs no division (a third of the columns are counts or codes).
        var digits = (double)(long)mantissa;
        value = fraction == 0 ? digits : digits / SwarDecimal.DoublePowersOfTen[fraction];
        value = negative ? -value : value;
        return true;
    }

    /// <summary>Moves to the next non-blank record; false at the end of the input.</summary>
    public bool Read()
    {
        while (true)
        {
            if (!_started)
            {
                Start();
            }

            if (_position == _dataEnd && _endOfStream)
            {
                return false;
            }

            var outcome = ParseRecord(out var consumed, out var newlines);
            if (outcome == ParseOutcome.NeedMoreData)
            {
                Fill();
                continue;
            }

            LineNumber = _nextLine;
            _nextLine += newlines;
            _position += consumed;
            BytesConsumed += consumed;
            if (IsBlankLine())
            {
                BlankLinesSkipped++;
                continue;
            }

            if (!IsSimple)
            {
                UnescapeQuotedFields();
            }

            return true;
        }
    }

    private void Start()
    {
        _started = true;
        Fill();
        if (_buffer.AsSpan(0, _dataEnd).StartsWith("\uFEFF"u8))
        {
            _position = 3;
            BytesConsumed = 3;
        }
    }

    private bool IsBlankLine() =>
        FieldCount == 1 && Malformation == CsvMalformation.None && (IsSimple || !_quoted[0]) && this[0].Trim(" \t"u8).IsEmpty;

    private ParseOutcome ParseRecord(out int consumed, out int newlines)
    {
        var data = _buffer.AsSpan(_position, _dataEnd - _position);
        var i = 0;
        newlines = 0;
        consumed = 0;
        FieldCount = 0;
        Malformation = CsvMalformation.None;

        // Fast path: most lines hold no quote, so one vectorized sweep finds the commas and the end together.
        var simple = SplitSimpleLine(out var lineBytes);
        if (simple == ParseOutcome.Record)
        {
            IsSimple = true;
            consumed = lineBytes;
            newlines = 1;
            return ParseOutcome.Record;
        }

        if (simple == ParseOutcome.NeedMoreData)
        {
            return ParseOutcome.NeedMoreData;
        }

        // A quote, or the last line of the input without a line end: the general parser, field by field.
        FieldCount = 0;
        IsSimple = false;

        while (true)
        {
            if (i < data.Length && data[i] == (byte)'"')
            {
                if (!ParseQuotedField(data, ref i, ref newlines))
                {
                    return ParseOutcome.NeedMoreData;
                }
            }
            else
            {
                var end = data[i..].IndexOfAny(s_fieldEnds);
                if (end < 0 && !_endOfStream)
                {
                    return ParseOutcome.NeedMoreData;
                }

                var length = end < 0 ? data.Length - i : end;
                AddField(i, length, quoted: false);
                i += length;
            }

            if (i >= data.Length)
            {
                // End of input ends the record (a last line without a newline).
                consumed = i;
                newlines++;
                return ParseOutcome.Record;
            }

            switch (data[i])
            {
                case (byte)',':
                    i++;
                    if (i >= data.Length && !_endOfStream)
                    {
                        return ParseOutcome.NeedMoreData;
                    }

                    continue;
                case (byte)'\n':
                    consumed = i + 1;
                    newlines++;
                    return ParseOutcome.Record;
                default: // '\r': CRLF, or a lone CR as some old tools write
                    if (i + 1 >= data.Length && !_endOfStream)
                    {
                        return ParseOutcome.NeedMoreData;
                    }

                    consumed = i + 1 < data.Length && data[i + 1] == (byte)'\n' ? i + 2 : i + 1;
                    newlines++;
                    return ParseOutcome.Record;
            }
        }
    }

    /// <summary>
    /// Splits the line at the read position if it holds no quote: sixteen bytes per step, comparing each against the
    /// comma and the line ends and quote at once, then one step per comma found in the bit mask (fields are short,
    /// so this beats a call per field). <see cref="ParseOutcome.NotSimple"/> when a quote comes first, or when the
    /// data ends without a line end at the end of the input (the general parser handles both).
    /// </summary>
    private ParseOutcome SplitSimpleLine(out int lineBytes)
    {
        var lineEnd = -1;
        lineBytes = 0;
        FieldCount = 0;
        var length = _dataEnd - _position;
        ref var origin = ref _buffer[_position];
        var fieldStart = 0;
        for (var j = 0; j < length; j += Step)
        {
            // Reads up to Step - 1 bytes past the data: the buffer keeps that much slack, and the masks drop them.
            var (commas, stops) = Separators(ref origin, j);
            if (length - j < Step)
            {
                var inData = (1u << (length - j)) - 1;
                commas &= inData;
                stops &= inData;
            }

            if (stops != 0)
            {
                var at = BitOperations.TrailingZeroCount(stops);
                commas &= (1u << at) - 1;
                lineEnd = j + at;
            }

            if (FieldCount + Step >= _starts.Length)
            {
                GrowFields();
            }

            while (commas != 0)
            {
                var field = j + BitOperations.TrailingZeroCount(commas);
                _starts[FieldCount] = _position + fieldStart;
                _lengths[FieldCount++] = field - fieldStart;
                fieldStart = field + 1;
                commas &= commas - 1;
            }

            if (lineEnd >= 0)
            {
                return EndSimpleLine(ref origin, length, fieldStart, lineEnd, out lineBytes);
            }
        }

        return _endOfStream ? ParseOutcome.NotSimple : ParseOutcome.NeedMoreData;
    }

    /// <summary>Bytes per step of <see cref="SplitSimpleLine"/>: 32 where 256-bit vectors are fast (AVX2), else 16.</summary>
    private static int Step => Vector256.IsHardwareAccelerated ? Vector256<byte>.Count : Vector128<byte>.Count;

    /// <summary>One bit per byte of the step at <paramref name="at"/>: the commas, and the line ends and quotes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (uint Commas, uint Stops) Separators(ref byte origin, int at)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            var wide = Vector256.LoadUnsafe(ref origin, (nuint)at);
            return (Vector256.Equals(wide, Vector256.Create((byte)',')).ExtractMostSignificantBits(),
                (Vector256.Equals(wide, Vector256.Create((byte)'\n')) | Vector256.Equals(wide, Vector256.Create((byte)'\r'))
                    | Vector256.Equals(wide, Vector256.Create((byte)'"'))).ExtractMostSignificantBits());
        }

        var chunk = Vector128.LoadUnsafe(ref origin, (nuint)at);
        return (Vector128.Equals(chunk, Vector128.Create((byte)',')).ExtractMostSignificantBits(),
            (Vector128.Equals(chunk, Vector128.Create((byte)'\n')) | Vector128.Equals(chunk, Vector128.Create((byte)'\r'))
                | Vector128.Equals(chunk, Vector128.Create((byte)'"'))).ExtractMostSignificantBits());
    }

    private ParseOutcome EndSimpleLine(ref byte origin, int length, int fieldStart, int lineEnd, out int lineBytes)
    {
        lineBytes = 0;
        var end = Unsafe.Add(ref origin, lineEnd);
        if (end == (byte)'"')
        {
            return ParseOutcome.NotSimple;
        }

        var crlf = false;
        if (end == (byte)'\r')
        {
            if (lineEnd + 1 >= length && !_endOfStream)
            {
                return ParseOutcome.NeedMoreData;
            }

            crlf = lineEnd + 1 < length && Unsafe.Add(ref origin, lineEnd + 1) == (byte)'\n';
        }

        _starts[FieldCount] = _position + fieldStart;
        _lengths[FieldCount++] = lineEnd - fieldStart;
        lineBytes = lineEnd + (crlf ? 2 : 1);
        return ParseOutcome.Record;
    }

    private void GrowFields()
    {
        Array.Resize(ref _starts, _starts.Length * 2);
        Array.Resize(ref _lengths, _lengths.Length * 2);
        Array.Resize(ref _quoted, _quoted.Length * 2);
    }

    /// <summary>Parses a quoted field starting at <paramref name="i"/>; false when the buffer ends inside it.</summary>
    private bool ParseQuotedField(ReadOnlySpan<byte> data, ref int i, ref int newlines)
    {
        var contentStart = i + 1;
        var j = contentStart;
        while (true)
        {
            var quote = data[j..].IndexOf((byte)'"');
            if (quote < 0)
            {
                if (!_endOfStream)
                {
                    return false;
                }

                Malformation = CsvMalformation.UnterminatedQuote;
                newlines += data[contentStart..].Count((byte)'\n');
                AddField(contentStart, data.Length - contentStart, quoted: true);
                i = data.Length;
                return true;
            }

            j += quote;
            if (j + 1 >= data.Length && !_endOfStream)
            {
                return false;
            }

            if (j + 1 < data.Length && data[j + 1] == (byte)'"')
            {
                j += 2;
                continue;
            }

            break;
        }

        newlines += data[contentStart..j].Count((byte)'\n');
        AddField(contentStart, j - contentStart, quoted: true);
        i = j + 1;
        if (i < data.Length && s_fieldEnds.Contains(data[i]) is false)
        {
            // Text after a closing quote ("abc"def): keep the row, but flag it so it is rejected, not guessed at.
            Malformation = CsvMalformation.TextAfterClosingQuote;
            var rest = data[i..].IndexOfAny(s_fieldEnds);
            if (rest < 0 && !_endOfStream)
            {
                return false;
            }

            i = rest < 0 ? data.Length : i + rest;
        }

        return true;
    }

    private void AddField(int start, int length, bool quoted)
    {
        if (FieldCount == _starts.Length)
        {
            GrowFields();
        }

        _starts[FieldCount] = _position + start;
        _lengths[FieldCount] = length;
        _quoted[FieldCount] = quoted;
        FieldCount++;
    }

    /// <summary>Turns doubled quotes into single ones, in place (the content can only shrink).</summary>
    private void UnescapeQuotedFields()
    {
        for (var f = 0; f < FieldCount; f++)
        {
            if (!_quoted[f])
            {
                continue;
            }

            var field = _buffer.AsSpan(_starts[f], _lengths[f]);
            var first = field.IndexOf("\"\""u8);
            if (first < 0)
            {
                continue;
            }

            var write = first + 1;
            for (var read = first + 2; read < field.Length; read++)
            {
                field[write++] = field[read];
                if (field[read] == (byte)'"' && read + 1 < field.Length && field[read + 1] == (byte)'"')
                {
                    read++;
                }
            }

            _lengths[f] = write;
        }
    }

    private int Capacity => _buffer.Length - Slack;

    private void Fill()
    {
        if (_position > 0)
        {
            var remaining = _dataEnd - _position;
            _buffer.AsSpan(_position, remaining).CopyTo(_buffer);
            _position = 0;
            _dataEnd = remaining;
        }
        else if (_dataEnd == Capacity)
        {
            if (Capacity >= _maxRecordBytes)
            {
                throw new CsvRecordTooLongException(_nextLine, _maxRecordBytes);
            }

            Array.Resize(ref _buffer, Math.Min(Capacity * 2, _maxRecordBytes) + Slack);
        }

        while (_dataEnd < Capacity)
        {
            var read = _stream.Read(_buffer, _dataEnd, Capacity - _dataEnd);
            if (read == 0)
            {
                _endOfStream = true;
                return;
            }

            _dataEnd += read;
        }
    }

    private enum ParseOutcome
    {
        Record,
        NeedMoreData,
        NotSimple,
    }
}

public enum CsvMalformation
{
    None,
    UnterminatedQuote,
    TextAfterClosingQuote,
}

/// <summary>A record longer than the reader accepts: almost always a quote that is never closed.</summary>
public sealed class CsvRecordTooLongException(long line, int maxBytes)
    : FormatException($"The record starting on line {line} is longer than {maxBytes} bytes; a quote is probably never closed.")
{
    public long Line { get; } = line;
}

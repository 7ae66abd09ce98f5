using System.Buffers;
using System.Numerics;
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
    private static readonly SearchValues<byte> s_lineEndsOrQuote = SearchValues.Create("\r\n\""u8);

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
        _buffer = new byte[Math.Min(bufferSize, maxRecordBytes)];
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

    /// <summary>The bytes from the start of one field to the end of another, separators included (simple records only).</summary>
    public ReadOnlySpan<byte> FieldRange(int first, int last) =>
        _buffer.AsSpan(_starts[first], _starts[last] + _lengths[last] - _starts[first]);

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

        // Fast path: most lines hold no quote, so one vectorized scan finds the end and a tight loop splits.
        var lineEnd = data.IndexOfAny(s_lineEndsOrQuote);
        if (lineEnd >= 0 && data[lineEnd] != (byte)'"')
        {
            if (data[lineEnd] == (byte)'\r' && lineEnd + 1 >= data.Length && !_endOfStream)
            {
                return ParseOutcome.NeedMoreData;
            }

            SplitUnquoted(data[..lineEnd]);
            IsSimple = true;
            consumed = lineEnd + (data[lineEnd] == (byte)'\r' && lineEnd + 1 < data.Length && data[lineEnd + 1] == (byte)'\n' ? 2 : 1);
            newlines = 1;
            return ParseOutcome.Record;
        }

        if (lineEnd < 0 && !_endOfStream)
        {
            return ParseOutcome.NeedMoreData;
        }

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
    /// Splits a line without quotes at its commas: 16 bytes per vector compare, then one step per comma
    /// found in the resulting bit mask (fields are short, so this beats a call per field).
    /// </summary>
    private void SplitUnquoted(ReadOnlySpan<byte> line)
    {
        FieldCount = 0;
        var start = 0;
        var j = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var comma = Vector128.Create((byte)',');
            ref var origin = ref MemoryMarshal.GetReference(line);
            for (; j + Vector128<byte>.Count <= line.Length; j += Vector128<byte>.Count)
            {
                var mask = Vector128.Equals(Vector128.LoadUnsafe(ref origin, (nuint)j), comma).ExtractMostSignificantBits();
                while (mask != 0)
                {
                    var at = j + BitOperations.TrailingZeroCount(mask);
                    AddUnquoted(start, at - start);
                    start = at + 1;
                    mask &= mask - 1;
                }
            }
        }

        for (; j < line.Length; j++)
        {
            if (line[j] == (byte)',')
            {
                AddUnquoted(start, j - start);
                start = j + 1;
            }
        }

        AddUnquoted(start, line.Length - start);
    }

    private void AddUnquoted(int start, int length)
    {
        if (FieldCount == _starts.Length)
        {
            GrowFields();
        }

        _starts[FieldCount] = _position + start;
        _lengths[FieldCount++] = length;
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

    private void Fill()
    {
        if (_position > 0)
        {
            var remaining = _dataEnd - _position;
            _buffer.AsSpan(_position, remaining).CopyTo(_buffer);
            _position = 0;
            _dataEnd = remaining;
        }
        else if (_dataEnd == _buffer.Length)
        {
            if (_buffer.Length >= _maxRecordBytes)
            {
                throw new CsvRecordTooLongException(_nextLine, _maxRecordBytes);
            }

            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, _maxRecordBytes));
        }

        while (_dataEnd < _buffer.Length)
        {
            var read = _stream.Read(_buffer, _dataEnd, _buffer.Length - _dataEnd);
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

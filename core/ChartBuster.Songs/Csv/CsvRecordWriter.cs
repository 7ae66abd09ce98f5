using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ChartBuster.Songs.Csv;

/// <summary>
/// Writes CSV records as UTF-8 with LF line ends, quoting only the fields that need it.
/// Buffers 64 KiB at a time so that the stream below sees large writes. By default it writes a full buffer to the
/// stream itself, synchronously. With <paramref name="callerFlushesAsync"/> it never touches the stream on its own:
/// the caller checks <see cref="IsFull"/> between records and awaits <see cref="FlushAsync"/> (for a stream whose
/// writes are network calls, such as an S3 upload); a record longer than the free space grows the buffer instead.
/// </summary>
public sealed class CsvRecordWriter(Stream stream, bool callerFlushesAsync = false) : IDisposable
{
    private const int Headroom = 4096;

    private static readonly SearchValues<byte> s_needsQuotes = SearchValues.Create(",\"\r\n"u8);
    private static readonly SearchValues<byte> s_formulaStarts = SearchValues.Create("=+-@\t\r"u8);

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
    private int _length;
    private bool _atRecordStart = true;

    public long RecordsWritten { get; private set; }

    public void WriteRecord(IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var field in fields)
        {
            WriteField(field);
        }

        EndRecord();
    }

    public void WriteField(string value) => WriteField(Encoding.UTF8.GetBytes(value));

    /// <summary>Writes a text field, quoted when it holds a comma, a quote or a line break.</summary>
    public void WriteField(ReadOnlySpan<byte> utf8) => WriteField(utf8, prefix: false);

    /// <summary>
    /// Writes a field that came from an untrusted file, for people who open the output in a spreadsheet: a cell
    /// starting with = + - @, a tab or a carriage return would run there as a formula (CSV injection), so it gets a
    /// leading apostrophe, which spreadsheets read as "text". A cell that is wholly a plain number (-5.2, -1e-3) is
    /// data, not a formula, and is written unchanged: negative loudness must stay a number.
    /// </summary>
    public void WriteUntrustedField(ReadOnlySpan<byte> utf8) =>
        WriteField(utf8, prefix: !utf8.IsEmpty && s_formulaStarts.Contains(utf8[0]) && !IsPlainNumber(utf8));

    private static bool IsPlainNumber(ReadOnlySpan<byte> utf8) =>
        double.TryParse(utf8, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value)
        && double.IsFinite(value);

    private void WriteField(ReadOnlySpan<byte> utf8, bool prefix)
    {
        var span = BeginField(2 * utf8.Length + 3);
        var quote = utf8.ContainsAny(s_needsQuotes);
        var n = 0;
        if (quote)
        {
            span[n++] = (byte)'"';
        }

        if (prefix)
        {
            span[n++] = (byte)'\'';
        }

        if (!quote)
        {
            utf8.CopyTo(span[n..]);
            _length += n + utf8.Length;
            return;
        }

        foreach (var b in utf8)
        {
            span[n++] = b;
            if (b == (byte)'"')
            {
                span[n++] = (byte)'"';
            }
        }

        span[n++] = (byte)'"';
        _length += n;
    }

    public void WriteEmpty() => BeginField(0);

    /// <summary>Copies bytes that are already valid CSV (one field or several with their commas), unchanged.</summary>
    public void WriteVerbatim(ReadOnlySpan<byte> csv)
    {
        var span = BeginField(csv.Length);
        csv.CopyTo(span);
        _length += csv.Length;
    }

    public void WriteInteger(long value)
    {
        var span = BeginField(24);
        if ((ulong)(value - 1000) < 9000)
        {
            // Four digits, as every decade is: two digit pairs, no general formatting.
            FixedDecimal.WriteFourDigits(span, (uint)value);
            _length += 4;
            return;
        }

        Utf8Formatter.TryFormat(value, span, out var written);
        _length += written;
    }

    /// <summary>Writes a number with at most six decimals, trailing zeros trimmed (fast and diff-friendly).</summary>
    public void WriteNumber(double value)
    {
        var span = BeginField(40);
        _length += FixedDecimal.Format(value, span);
    }

    /// <summary>Writes several numbers as <see cref="WriteNumber"/> does, with room made once for all of them.</summary>
    public void WriteNumbers(ReadOnlySpan<double> values)
    {
        EnsureCapacity(values.Length * (FixedDecimal.MaxLength + 1));
        foreach (var value in values)
        {
            if (!_atRecordStart)
            {
                _buffer[_length++] = (byte)',';
            }

            _atRecordStart = false;
            _length += FixedDecimal.Format(value, _buffer.AsSpan(_length));
        }
    }

    public void EndRecord()
    {
        EnsureCapacity(1);
        _buffer[_length++] = (byte)'\n';
        _atRecordStart = true;
        RecordsWritten++;
        if (!callerFlushesAsync && IsFull)
        {
            Flush();
        }
    }

    /// <summary>Whether the buffer is nearly full: time to flush before the next record.</summary>
    public bool IsFull => _length > _buffer.Length - Headroom;

    public void Flush()
    {
        stream.Write(_buffer, 0, _length);
        _length = 0;
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_length > 0)
        {
            await stream.WriteAsync(_buffer.AsMemory(0, _length), cancellationToken);
            _length = 0;
        }
    }

    /// <summary>
    /// Writes what is left, unless the caller flushes: then what it did not flush is dropped, as the caller stopped
    /// (failed or was cancelled) and a blocking write here would only hide why.
    /// </summary>
    public void Dispose()
    {
        if (_buffer.Length == 0)
        {
            return;
        }

        if (!callerFlushesAsync)
        {
            Flush();
        }

        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private Span<byte> BeginField(int maxBytes)
    {
        EnsureCapacity(maxBytes + 1);
        if (!_atRecordStart)
        {
            _buffer[_length++] = (byte)',';
        }

        _atRecordStart = false;
        return _buffer.AsSpan(_length);
    }

    private void EnsureCapacity(int bytes)
    {
        if (_length + bytes <= _buffer.Length)
        {
            return;
        }

        if (!callerFlushesAsync)
        {
            Flush();
        }

        if (_length + bytes > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_length + bytes, 2 * _buffer.Length));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }
}

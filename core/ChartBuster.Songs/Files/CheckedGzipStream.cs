using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace ChartBuster.Songs.Files;

/// <summary>
/// Decompresses gzip and, at the end, checks the stream's trailer (CRC-32 and length of the content) against what
/// was decompressed. .NET's GZipStream returns the end of the data silently when the file is cut short, so without
/// this a truncated upload would be read as far as it goes and trained on. A file of several concatenated gzip
/// members is refused too (its last trailer covers only the last member): recompress it as one.
/// </summary>
internal sealed class CheckedGzipStream : ReadOnlyStream
{
    private readonly TailStream _raw;
    private readonly GZipStream _inflate;
    private readonly Crc32 _crc = new();
    private long _length;
    private bool _verified;

    public CheckedGzipStream(Stream raw)
    {
        _raw = new TailStream(raw);
        _inflate = new GZipStream(_raw, CompressionMode.Decompress);
    }

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = _inflate.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new UnreadableSongFileException($"The gzip data is damaged after {_length:N0} bytes of content: {e.Message}", e);
        }

        if (read > 0)
        {
            _crc.Append(buffer[..read]);
            _length += read;
        }
        else if (!buffer.IsEmpty && !_verified)
        {
            Verify();
        }

        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inflate.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Verify()
    {
        _verified = true;
        var trailer = _raw.Tail;
        var whole = trailer.Length == 8
            && BinaryPrimitives.ReadUInt32LittleEndian(trailer) == _crc.GetCurrentHashAsUInt32()
            && BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]) == (uint)_length;
        if (!whole)
        {
            throw new UnreadableSongFileException(
                $"The gzip file is truncated or damaged: its content ends after {_length:N0} bytes without the end marker that a whole file has. Upload the complete file.");
        }
    }

    /// <summary>Passes reads through and remembers the last 8 bytes read (the gzip trailer at the end).</summary>
    private sealed class TailStream(Stream inner) : ReadOnlyStream
    {
        private readonly byte[] _tail = new byte[8];
        private int _tailLength;

        public ReadOnlySpan<byte> Tail => _tail.AsSpan(0, _tailLength);

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            Remember(buffer[..read]);
            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Remember(ReadOnlySpan<byte> read)
        {
            if (read.Length >= 8)
            {
                read[^8..].CopyTo(_tail);
                _tailLength = 8;
                return;
            }

            var keep = Math.Min(_tailLength, 8 - read.Length);
            _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
            read.CopyTo(_tail.AsSpan(keep));
            _tailLength = keep + read.Length;
        }
    }
}

namespace ChartBuster.Songs.Files;

/// <summary>A read-only stream whose first bytes are read up front, so they can be inspected before the content is read.</summary>
internal sealed class PeekedStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly byte[] _start;
    private readonly int _startLength;
    private int _position;

    public PeekedStream(Stream inner, int peekBytes, bool leaveOpen)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
        _start = new byte[peekBytes];
        while (_startLength < peekBytes)
        {
            var read = inner.Read(_start, _startLength, peekBytes - _startLength);
            if (read == 0)
            {
                break;
            }

            _startLength += read;
        }
    }

    public ReadOnlySpan<byte> Start => _start.AsSpan(0, _startLength);

    public override int Read(Span<byte> buffer)
    {
        if (_position < _startLength)
        {
            var n = Math.Min(buffer.Length, _startLength - _position);
            _start.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        return _inner.Read(buffer);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

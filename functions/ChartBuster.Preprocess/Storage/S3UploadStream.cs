using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace ChartBuster.Preprocess.Storage;

/// <summary>
/// A write-only stream into one S3 object, written with <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
/// only: small content becomes one PUT on completion; larger content a multipart upload whose parts ship while the next
/// one fills (one part in flight at most), so memory stays at two part buffers whatever the object's size. Nothing is
/// visible until <see cref="CompleteAsync"/>. A cancelled or failed upload, and one disposed without completing, is
/// aborted so that no parts are left to bill. Synchronous writes are refused: each may be a network call.
/// </summary>
internal sealed class S3UploadStream(IAmazonS3 s3, string bucket, string key, string contentType, int partSize) : Stream
{
    /// <summary>8 MiB parts: above S3's 5 MiB minimum, below the local emulator's 11 MiB single-request limit.</summary>
    public const int DefaultPartSize = 8 << 20;

    private readonly List<PartETag> _parts = [];
    private byte[] _part = new byte[Math.Min(64 << 10, partSize)];
    private byte[]? _spare;
    private int _filled;
    private string? _uploadId;
    private Task? _inFlight;
    private int _nextPartNumber = 1;
    private bool _finished;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_finished;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("An S3 upload is written with WriteAsync: a full part is a network call.");

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!buffer.IsEmpty)
        {
            if (_filled == _part.Length)
            {
                if (_part.Length < partSize)
                {
                    Array.Resize(ref _part, Math.Min(_part.Length * 2, partSize));
                }
                else
                {
                    await ShipFullPartAsync(cancellationToken);
                }
            }

            var n = Math.Min(buffer.Length, _part.Length - _filled);
            buffer.Span[..n].CopyTo(_part.AsSpan(_filled));
            _filled += n;
            buffer = buffer[n..];
        }
    }

    /// <summary>Waits for the part in flight: its failure (or cancellation) surfaces here. Parts ship only when full.</summary>
    public override async Task FlushAsync(CancellationToken cancellationToken) =>
        await (_inFlight ?? Task.CompletedTask).WaitAsync(cancellationToken);

    public override void Flush()
    {
        // Nothing is written synchronously, so there is nothing to push; FlushAsync waits for the part in flight.
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_uploadId is null)
        {
            using var body = new MemoryStream(_part, 0, _filled, writable: false);
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = key,
                ContentType = contentType,
                InputStream = body,
                AutoCloseStream = false,
            }, cancellationToken);
            _finished = true;
            return;
        }

        if (_filled > 0)
        {
            await ShipFullPartAsync(cancellationToken);
        }

        await (_inFlight ?? Task.CompletedTask);
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = key,
            UploadId = _uploadId,
            PartETags = [.. _parts.OrderBy(p => p.PartNumber)],
        }, cancellationToken);
        _finished = true;
    }

    /// <summary>
    /// Abandons the upload so no parts are left to bill; the object never appears. Runs to the end whatever cancelled
    /// the upload (it takes no token): leaving the parts behind is what it prevents.
    /// </summary>
    public async Task AbortAsync()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        try
        {
            await (_inFlight ?? Task.CompletedTask);
        }
        catch (Exception e) when (e is AmazonServiceException or OperationCanceledException)
        {
            // The part that failed or was cancelled is why the upload is abandoned; the abort below still has to run.
        }

        if (_uploadId is not null)
        {
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = _uploadId }, CancellationToken.None);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await AbortAsync();
        await base.DisposeAsync();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async Task ShipFullPartAsync(CancellationToken cancellationToken)
    {
        await (_inFlight ?? Task.CompletedTask);
        _uploadId ??= (await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket,
            Key = key,
            ContentType = contentType,
        }, cancellationToken)).UploadId;
        var data = _part;
        var length = _filled;
        _part = _spare ?? new byte[partSize];
        _spare = null;
        _filled = 0;
        _inFlight = UploadPartAsync(data, length, _nextPartNumber++, cancellationToken);
    }

    private async Task UploadPartAsync(byte[] data, int length, int partNumber, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(data, 0, length, writable: false);
        var response = await s3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = key,
            UploadId = _uploadId,
            PartNumber = partNumber,
            PartSize = length,
            InputStream = body,
        }, cancellationToken);
        _parts.Add(new PartETag(partNumber, response.ETag));
        _spare = data;
    }
}

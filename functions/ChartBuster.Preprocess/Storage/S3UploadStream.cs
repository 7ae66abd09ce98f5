using Amazon.S3;
using Amazon.S3.Model;

namespace ChartBuster.Preprocess.Storage;

/// <summary>
/// A write-only stream into one S3 object. Small content becomes one PUT on completion; larger content
/// a multipart upload whose parts ship while the next one fills (one part in flight at most), so memory
/// stays at two part buffers whatever the object's size. Nothing is visible until <see cref="CompleteAsync"/>.
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

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
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
                    // The cleaner writes synchronously; blocking here only waits for the previous part.
                    ShipFullPartAsync().GetAwaiter().GetResult();
                }
            }

            var n = Math.Min(buffer.Length, _part.Length - _filled);
            buffer[..n].CopyTo(_part.AsSpan(_filled));
            _filled += n;
            buffer = buffer[n..];
        }
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
            return;
        }

        if (_filled > 0)
        {
            await ShipFullPartAsync();
        }

        await (_inFlight ?? Task.CompletedTask);
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = key,
            UploadId = _uploadId,
            PartETags = [.. _parts.OrderBy(p => p.PartNumber)],
        }, cancellationToken);
    }

    /// <summary>Abandons the upload so no parts are left to bill; the object never appears.</summary>
    public async Task AbortAsync()
    {
        if (_uploadId is null)
        {
            return;
        }

        try
        {
            await (_inFlight ?? Task.CompletedTask);
        }
        catch (AmazonS3Exception)
        {
            // The part that failed is what caused the abort; the abort below still has to run.
        }

        await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = _uploadId });
    }

    public override void Flush()
    {
        // Parts ship when full or on completion; there is nothing to push early.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async Task ShipFullPartAsync()
    {
        await (_inFlight ?? Task.CompletedTask);
        _uploadId ??= (await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket,
            Key = key,
            ContentType = contentType,
        })).UploadId;
        var data = _part;
        var length = _filled;
        _part = _spare ?? new byte[partSize];
        _spare = null;
        _filled = 0;
        _inFlight = UploadPartAsync(data, length, _nextPartNumber++);
    }

    private async Task UploadPartAsync(byte[] data, int length, int partNumber)
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
        });
        _parts.Add(new PartETag(partNumber, response.ETag));
        _spare = data;
    }
}

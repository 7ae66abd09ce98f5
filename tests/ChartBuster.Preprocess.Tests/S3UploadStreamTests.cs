using Amazon.S3;
using Amazon.S3.Model;
using ChartBuster.Preprocess.Storage;
using Moq;

namespace ChartBuster.Preprocess.Tests;

/// <summary>The upload stream's behaviour around S3 calls: async writes only, and no parts left behind when it stops early.</summary>
public sealed class S3UploadStreamTests
{
    private const int PartSize = 1024;
    private readonly Mock<IAmazonS3> _s3 = new(MockBehavior.Strict);

    public S3UploadStreamTests()
    {
        _s3.Setup(s => s.InitiateMultipartUploadAsync(It.IsAny<InitiateMultipartUploadRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new InitiateMultipartUploadResponse { UploadId = "upload-1" });
        _s3.Setup(s => s.AbortMultipartUploadAsync(It.IsAny<AbortMultipartUploadRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AbortMultipartUploadResponse());
    }

    private S3UploadStream Upload() => new(_s3.Object, "ready", "datasets/d/cleaned.csv", "text/csv", PartSize);

    private void PartsHangUntilCancelled() =>
        _s3.Setup(s => s.UploadPartAsync(It.IsAny<UploadPartRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (UploadPartRequest _, CancellationToken token) =>
            {
                await Task.Delay(Timeout.Infinite, token);
                return new UploadPartResponse();
            });

    private void VerifyAbortedOnce() =>
        _s3.Verify(s => s.AbortMultipartUploadAsync(It.Is<AbortMultipartUploadRequest>(r => r.UploadId == "upload-1" && r.Key == "datasets/d/cleaned.csv"), It.IsAny<CancellationToken>()), Times.Once);

    [Fact]
    public async Task Cancelling_while_a_part_is_in_flight_stops_the_write_and_aborts_the_multipart_upload()
    {
        PartsHangUntilCancelled();
        using var cancel = new CancellationTokenSource();
        var upload = Upload();
        await upload.WriteAsync(new byte[PartSize + 1], cancel.Token); // part 1 in flight
        var blocked = upload.WriteAsync(new byte[PartSize], cancel.Token).AsTask(); // waits for part 1

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked);
        await upload.DisposeAsync();
        VerifyAbortedOnce();
        _s3.Verify(s => s.CompleteMultipartUploadAsync(It.IsAny<CompleteMultipartUploadRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Cancelling_the_completion_aborts_the_multipart_upload()
    {
        PartsHangUntilCancelled();
        using var cancel = new CancellationTokenSource();
        await using var upload = Upload();
        await upload.WriteAsync(new byte[PartSize + 1], cancel.Token);
        var completing = upload.CompleteAsync(cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => completing);
        await upload.AbortAsync();
        VerifyAbortedOnce();
    }

    [Fact]
    public async Task An_upload_disposed_without_completing_is_aborted_once()
    {
        _s3.Setup(s => s.UploadPartAsync(It.IsAny<UploadPartRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new UploadPartResponse { ETag = "\"e1\"" });
        var upload = Upload();
        await upload.WriteAsync(new byte[PartSize + 1], CancellationToken.None);

        await upload.DisposeAsync();
        await upload.DisposeAsync();

        VerifyAbortedOnce();
    }

    [Fact]
    public async Task A_completed_upload_is_not_aborted_when_disposed()
    {
        _s3.Setup(s => s.UploadPartAsync(It.IsAny<UploadPartRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((UploadPartRequest r, CancellationToken _) => new UploadPartResponse { ETag = $"\"e{r.PartNumber}\"" });
        _s3.Setup(s => s.CompleteMultipartUploadAsync(It.IsAny<CompleteMultipartUploadRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CompleteMultipartUploadResponse());
        var upload = Upload();
        await upload.WriteAsync(new byte[(2 * PartSize) + 1], CancellationToken.None);

        await upload.CompleteAsync(CancellationToken.None);
        await upload.DisposeAsync();

        _s3.Verify(s => s.CompleteMultipartUploadAsync(It.Is<CompleteMultipartUploadRequest>(r => r.PartETags.Count == 3), It.IsAny<CancellationToken>()), Times.Once);
        _s3.Verify(s => s.AbortMultipartUploadAsync(It.IsAny<AbortMultipartUploadRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_synchronous_write_is_refused_rather_than_blocking_on_a_network_call()
    {
        await using var upload = Upload();

        var e = Assert.Throws<NotSupportedException>(() => upload.Write(new byte[10], 0, 10));

        Assert.Contains("WriteAsync", e.Message, StringComparison.Ordinal);
    }
}

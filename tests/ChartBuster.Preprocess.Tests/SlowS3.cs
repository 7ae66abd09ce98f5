using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Moq;

namespace ChartBuster.Preprocess.Tests;

/// <summary>An S3 that answers every read with 503 SlowDown (a failure Lambda's retries are for).</summary>
internal static class SlowS3
{
    public static readonly AmazonS3Exception SlowDown = new("slow down", ErrorType.Sender, "SlowDown", "r", HttpStatusCode.ServiceUnavailable);

    public static Mock<IAmazonS3> Create()
    {
        var s3 = new Mock<IAmazonS3>();
        s3.Setup(s => s.GetObjectMetadataAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(SlowDown);
        s3.Setup(s => s.GetObjectAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(SlowDown);
        return s3;
    }
}

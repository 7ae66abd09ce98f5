using ChartBuster.Songs.Events;
using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ChartBuster.Preprocess.Runtime;
using Moq;

namespace ChartBuster.Preprocess.Tests;

public class PreprocessHandlerTests
{
    private static LambdaInvocation Invocation(byte[] payload) => new("req-1", DateTimeOffset.UtcNow.AddMinutes(5), null, null, payload);

    [Fact]
    public async Task Answers_one_result_per_record_of_the_s3_event()
    {
        var s3 = new Mock<IAmazonS3>(MockBehavior.Strict);
        s3.Setup(s => s.GetObjectMetadataAsync("ready", It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new GetObjectMetadataResponse());
        s3.Setup(s => s.GetObjectAsync("ready", It.Is<string>(k => k.StartsWith(EventOrder.Prefix, StringComparison.Ordinal)), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AmazonS3Exception("no such key", ErrorType.Sender, "NoSuchKey", "r", HttpStatusCode.NotFound));
        s3.Setup(s => s.PutObjectAsync(It.Is<PutObjectRequest>(r => r.Key.StartsWith(EventOrder.Prefix, StringComparison.Ordinal)), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PutObjectResponse());
        var handler = new PreprocessHandler(new RawSongFileProcessor(
            s3.Object, new PreprocessOptions { ReadyBucket = "ready" }, new JsonLog(TextWriter.Null, TimeProvider.System), TimeProvider.System));
        var payload = S3Events.Uploaded(("raw", "readme.txt", "e1", 10), ("raw", "songs of 1960s.csv", "e2", 10));

        var response = await handler.HandleAsync(Invocation(payload), CancellationToken.None);

        using var json = JsonDocument.Parse(response);
        var outcomes = json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("outcome").GetString());
        Assert.Equal([Outcomes.Ignored, Outcomes.AlreadyPrepared], outcomes);
        Assert.Equal("songs of 1960s.csv", json.RootElement.GetProperty("results")[1].GetProperty("key").GetString());
    }

    [Theory]
    [InlineData("{\"detail\":\"an EventBridge event\"}")]
    [InlineData("[]")]
    public async Task Fails_an_event_that_is_not_an_s3_notification(string payload)
    {
        var handler = new PreprocessHandler(new RawSongFileProcessor(
            Mock.Of<IAmazonS3>(), new PreprocessOptions { ReadyBucket = "ready" }, new JsonLog(TextWriter.Null, TimeProvider.System), TimeProvider.System));

        await Assert.ThrowsAnyAsync<Exception>(() => handler.HandleAsync(Invocation(System.Text.Encoding.UTF8.GetBytes(payload)), CancellationToken.None));
    }

    [Fact]
    public async Task A_failing_record_fails_the_invocation_so_lambda_retries()
    {
        var s3 = SlowS3.Create();
        var handler = new PreprocessHandler(new RawSongFileProcessor(
            s3.Object, new PreprocessOptions { ReadyBucket = "ready" }, new JsonLog(TextWriter.Null, TimeProvider.System), TimeProvider.System));

        await Assert.ThrowsAsync<AmazonS3Exception>(
            () => handler.HandleAsync(Invocation(S3Events.Uploaded(("raw", "a.csv", "e", 1))), CancellationToken.None));
    }
}

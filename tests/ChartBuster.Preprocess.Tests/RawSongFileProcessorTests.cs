using ChartBuster.Songs.Events;
using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Moq;

namespace ChartBuster.Preprocess.Tests;

public sealed class RawSongFileProcessorTests : IDisposable
{
    private const string Raw = "chartbuster-raw";
    private const string Ready = "chartbuster-ready";
    private const string ETag = "0123456789abcdef0123456789abcdef";
    private const string ValidCsv =
        "track,artist,uri,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms,time_signature,chorus_hit,sections,target\n" +
        "Lucky Man,Montgomery Gentry,spotify:track:4GiXBCUF7H6YfNQsnBRIzl,0.578,0.471,4,-7.27,1,0.0289,0.368,0,0.159,0.532,133.061,196707,4,30.88059,13,1\n";

    private readonly Mock<IAmazonS3> _s3 = new(MockBehavior.Strict);
    private readonly StringWriter _logs = new();
    private readonly PreprocessOptions _options = new() { ReadyBucket = Ready, RawBucket = Raw };

    private RawSongFileProcessor Processor() => new(_s3.Object, _options, new JsonLog(_logs, TimeProvider.System));

    private static AmazonS3Exception S3Error(HttpStatusCode status) =>
        new($"S3 says {(int)status}", ErrorType.Sender, status.ToString(), "request-1", status);

    private void NothingPreparedYet()
    {
        _s3.Setup(s => s.GetObjectMetadataAsync(Ready, It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(S3Error(HttpStatusCode.NotFound));
        _s3.Setup(s => s.GetObjectAsync(Ready, It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(S3Error(HttpStatusCode.NotFound));
    }

    private Dictionary<string, string> AcceptPuts(List<string> order)
    {
        var written = new Dictionary<string, string>();
        _s3.Setup(s => s.PutObjectAsync(It.IsAny<PutObjectRequest>(), It.IsAny<CancellationToken>()))
            .Callback((PutObjectRequest r, CancellationToken _) =>
            {
                Assert.Equal(Ready, r.BucketName);
                written[r.Key] = new StreamReader(r.InputStream).ReadToEnd();
                order.Add(r.Key);
            })
            .ReturnsAsync(new PutObjectResponse());
        return written;
    }

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("songs.csv.bak")]
    [InlineData("datasets/")]
    public async Task Ignores_objects_that_are_not_csv_or_csv_gz(string key)
    {
        var result = await Processor().ProcessAsync(S3EventJson.Record(Raw, key), CancellationToken.None);

        Assert.Equal(Outcomes.Ignored, result.Outcome);
        _s3.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData(Ready)]
    [InlineData("someone-elses-bucket")]
    public async Task Refuses_events_from_the_ready_bucket_or_a_foreign_one_without_touching_s3(string bucket)
    {
        var result = await Processor().ProcessAsync(S3EventJson.Record(bucket, "songs.csv"), CancellationToken.None);

        Assert.Equal(Outcomes.Refused, result.Outcome);
        _s3.VerifyNoOtherCalls();
        Assert.Contains("\"level\":\"error\"", _logs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Does_nothing_when_the_upload_was_already_prepared()
    {
        var id = DatasetIds.From("dataset-of-60s.csv", ETag);
        _s3.Setup(s => s.GetObjectMetadataAsync(Ready, $"datasets/{id}/ready.csv", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new GetObjectMetadataResponse());

        var result = await Processor().ProcessAsync(S3EventJson.Record(Raw, "dataset-of-60s.csv", ETag), CancellationToken.None);

        Assert.Equal((Outcomes.AlreadyPrepared, id), (result.Outcome, result.DatasetId));
        _s3.VerifyAll();
        _s3.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Does_nothing_when_an_earlier_run_refused_the_same_upload()
    {
        _s3.Setup(s => s.GetObjectMetadataAsync(Ready, It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(S3Error(HttpStatusCode.NotFound));
        _s3.Setup(s => s.GetObjectAsync(Ready, It.Is<string>(k => k.EndsWith("/report.json", StringComparison.Ordinal)), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new GetObjectResponse { ResponseStream = new MemoryStream("{\"status\":\"rejected\",\"error\":\"missing column\"}"u8.ToArray()) });

        var result = await Processor().ProcessAsync(S3EventJson.Record(Raw, "bad.csv"), CancellationToken.None);

        Assert.Equal(Outcomes.AlreadyPrepared, result.Outcome);
        _s3.Verify(s => s.GetObjectAsync(It.IsAny<GetObjectRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Decodes_the_key_reads_the_announced_version_and_writes_ready_csv_last()
    {
        NothingPreparedYet();
        var requests = new List<GetObjectRequest>();
        _s3.Setup(s => s.GetObjectAsync(It.IsAny<GetObjectRequest>(), It.IsAny<CancellationToken>()))
            .Callback((GetObjectRequest r, CancellationToken _) => requests.Add(r))
            .ReturnsAsync(() => new GetObjectResponse { ResponseStream = new MemoryStream(Encoding.UTF8.GetBytes(ValidCsv)) });
        var order = new List<string>();
        var written = AcceptPuts(order);

        var result = await Processor().ProcessAsync(S3EventJson.Record(Raw, "in box/My Songs (60s)+1.csv", ETag), CancellationToken.None);

        Assert.Equal(Outcomes.Prepared, result.Outcome);
        Assert.Equal(2, requests.Count); // one read per pass
        Assert.All(requests, r => Assert.Equal(("in box/My Songs (60s)+1.csv", $"\"{ETag}\""), (r.Key, r.EtagToMatch)));
        var prefix = $"datasets/{result.DatasetId}/";
        Assert.Equal([prefix + "cleaned.csv", prefix + "rejects.csv", prefix + "report.json", prefix + "ready.csv"], order);
        Assert.Contains(",1960\n", written[prefix + "cleaned.csv"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Propagates_a_transient_s3_failure_and_logs_bucket_key_and_dataset()
    {
        NothingPreparedYet();
        _s3.Setup(s => s.GetObjectAsync(It.IsAny<GetObjectRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(S3Error(HttpStatusCode.ServiceUnavailable));

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(
            () => Processor().ProcessAsync(S3EventJson.Record(Raw, "dataset-of-70s.csv", ETag), CancellationToken.None));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        var line = _logs.ToString().Split('\n').Single(l => l.Contains("preprocess failed", StringComparison.Ordinal));
        Assert.Contains($"\"bucket\":\"{Raw}\"", line, StringComparison.Ordinal);
        Assert.Contains("\"key\":\"dataset-of-70s.csv\"", line, StringComparison.Ordinal);
        Assert.Contains($"\"datasetId\":\"{DatasetIds.From("dataset-of-70s.csv", ETag)}\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_while_writing_leaves_no_ready_csv()
    {
        NothingPreparedYet();
        _s3.Setup(s => s.GetObjectAsync(It.IsAny<GetObjectRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new GetObjectResponse { ResponseStream = new MemoryStream(Encoding.UTF8.GetBytes(ValidCsv)) });
        var order = new List<string>();
        _s3.Setup(s => s.PutObjectAsync(It.IsAny<PutObjectRequest>(), It.IsAny<CancellationToken>()))
            .Callback((PutObjectRequest r, CancellationToken _) => order.Add(r.Key))
            .Returns((PutObjectRequest r, CancellationToken _) => r.Key.EndsWith("report.json", StringComparison.Ordinal)
                ? Task.FromException<PutObjectResponse>(S3Error(HttpStatusCode.InternalServerError))
                : Task.FromResult(new PutObjectResponse()));

        await Assert.ThrowsAsync<AmazonS3Exception>(
            () => Processor().ProcessAsync(S3EventJson.Record(Raw, "songs.csv"), CancellationToken.None));

        Assert.DoesNotContain(order, k => k.EndsWith("ready.csv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Skips_an_event_whose_object_was_replaced_since()
    {
        NothingPreparedYet();
        _s3.Setup(s => s.GetObjectAsync(It.IsAny<GetObjectRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(S3Error(HttpStatusCode.PreconditionFailed));

        var result = await Processor().ProcessAsync(S3EventJson.Record(Raw, "songs.csv"), CancellationToken.None);

        Assert.Equal(Outcomes.Superseded, result.Outcome);
    }

    public void Dispose()
    {
        _logs.Dispose();
    }
}

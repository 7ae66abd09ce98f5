using ChartBuster.Songs.Events;
using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using System.Text.Json;
using ChartBuster.Songs.Journeys;
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

    private RawSongFileProcessor Processor() => new(_s3.Object, _options, new JsonLog(_logs, TimeProvider.System), TimeProvider.System);

    private static AmazonS3Exception S3Error(HttpStatusCode status) =>
        new($"S3 says {(int)status}", ErrorType.Sender, status.ToString(), "request-1", status);

    /// <summary>No event handled yet for any object; recording one as handled is accepted.</summary>
    private void NoEventHandledYet()
    {
        _s3.Setup(s => s.GetObjectAsync(Ready, It.Is<string>(k => k.StartsWith(EventOrder.Prefix, StringComparison.Ordinal)), It.IsAny<CancellationToken>()))
            .ThrowsAsync(S3Error(HttpStatusCode.NotFound));
        _s3.Setup(s => s.PutObjectAsync(It.Is<PutObjectRequest>(r => r.Key.StartsWith(EventOrder.Prefix, StringComparison.Ordinal)), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PutObjectResponse());
    }

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
        var result = await Processor().ProcessAsync(S3Events.UploadRecord(Raw, key), CancellationToken.None);

        Assert.Equal(Outcomes.Ignored, result.Outcome);
        _s3.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData(Ready)]
    [InlineData("someone-elses-bucket")]
    public async Task Refuses_events_from_the_ready_bucket_or_a_foreign_one_without_touching_s3(string bucket)
    {
        var result = await Processor().ProcessAsync(S3Events.UploadRecord(bucket, "songs.csv"), CancellationToken.None);

        Assert.Equal(Outcomes.Refused, result.Outcome);
        _s3.VerifyNoOtherCalls();
        Assert.Contains("\"level\":\"error\"", _logs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Does_nothing_when_the_upload_was_already_prepared()
    {
        var id = DatasetIds.From("dataset-of-60s.csv", ETag);
        NoEventHandledYet();
        _s3.Setup(s => s.GetObjectMetadataAsync(Ready, $"datasets/{id}/ready.csv", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new GetObjectMetadataResponse());

        var result = await Processor().ProcessAsync(S3Events.UploadRecord(Raw, "dataset-of-60s.csv", ETag), CancellationToken.None);

        Assert.Equal((Outcomes.AlreadyPrepared, id), (result.Outcome, result.DatasetId));
        _s3.VerifyAll();
        _s3.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Does_nothing_when_an_earlier_run_refused_the_same_upload()
    {
        NoEventHandledYet();
        _s3.Setup(s => s.GetObjectMetadataAsync(Ready, It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(S3Error(HttpStatusCode.NotFound));
        _s3.Setup(s => s.GetObjectAsync(Ready, It.Is<string>(k => k.EndsWith("/report.json", StringComparison.Ordinal)), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new GetObjectResponse { ResponseStream = new MemoryStream("{\"status\":\"rejected\",\"error\":\"missing column\"}"u8.ToArray()) });

        var result = await Processor().ProcessAsync(S3Events.UploadRecord(Raw, "bad.csv"), CancellationToken.None);

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

        var result = await Processor().ProcessAsync(S3Events.UploadRecord(Raw, "in box/My Songs (60s)+1.csv", ETag), CancellationToken.None);

        Assert.Equal(Outcomes.Prepared, result.Outcome);
        Assert.Single(requests); // one pass: no copy of a song disagrees with another on target
        Assert.All(requests, r => Assert.Equal(("in box/My Songs (60s)+1.csv", $"\"{ETag}\""), (r.Key, r.EtagToMatch)));
        var prefix = $"datasets/{result.DatasetId}/";
        Assert.Equal([prefix + "cleaned.csv", prefix + "rejects.csv", prefix + "report.json", prefix + "ready.csv"], order.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.StartsWith(EventOrder.Prefix, order[^1], StringComparison.Ordinal); // the event is recorded as handled after its work
        Assert.Contains(",1960\n", written[prefix + "cleaned.csv"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Propagates_a_transient_s3_failure_and_logs_bucket_key_and_dataset()
    {
        NothingPreparedYet();
        _s3.Setup(s => s.GetObjectAsync(It.IsAny<GetObjectRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(S3Error(HttpStatusCode.ServiceUnavailable));

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(
            () => Processor().ProcessAsync(S3Events.UploadRecord(Raw, "dataset-of-70s.csv", ETag), CancellationToken.None));

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
            () => Processor().ProcessAsync(S3Events.UploadRecord(Raw, "songs.csv"), CancellationToken.None));

        Assert.DoesNotContain(order, k => k.EndsWith("ready.csv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Skips_an_event_whose_object_was_replaced_since()
    {
        NothingPreparedYet();
        _s3.Setup(s => s.GetObjectAsync(It.IsAny<GetObjectRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(S3Error(HttpStatusCode.PreconditionFailed));

        var result = await Processor().ProcessAsync(S3Events.UploadRecord(Raw, "songs.csv"), CancellationToken.None);

        Assert.Equal(Outcomes.Superseded, result.Outcome);
    }

    [Fact]
    public async Task Records_the_upload_then_the_preparation_with_the_report_counts_and_indexes_the_dataset_by_upload_time()
    {
        NothingPreparedYet();
        ServeRaw(ValidCsv + ValidCsv.Split('\n')[1] + "\n");
        var order = new List<string>();
        var written = AcceptPuts(order);

        var result = await Processor().ProcessAsync(S3Events.UploadRecord(Raw, "uploads/My Songs.csv", ETag), CancellationToken.None);

        var id = result.DatasetId!;
        var journeys = order.Where(k => k.StartsWith("journeys/", StringComparison.Ordinal)).ToList();
        var uploadedAt = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero); // the event's time
        Assert.Equal([$"journeys/datasets/{id}/received.json", JourneyKeys.IndexEntry(id, uploadedAt), $"journeys/datasets/{id}/prepared.json"], journeys);
        Assert.True(order.IndexOf($"journeys/datasets/{id}/prepared.json") > order.IndexOf($"datasets/{id}/ready.csv"));
        var received = Record(written[$"journeys/datasets/{id}/received.json"]);
        Assert.Equal(new UploadFacts(Raw, "uploads/My Songs.csv", "My Songs.csv", 100, ETag, uploadedAt), received.Upload);
        var prepared = Record(written[$"journeys/datasets/{id}/prepared.json"]);
        Assert.Equal((2L, 1L, 0L, 1L), (prepared.Preparation!.RowsRead, prepared.Preparation.RowsKept, prepared.Preparation.RowsRejected, prepared.Preparation.DuplicatesRemoved));
        Assert.Equal(1, prepared.Preparation.RejectedByReason["duplicate"]);
        Assert.Equal("prepared: 1 of 2 rows kept (0 rejected, 1 duplicates); queued for training", prepared.Summary);
    }

    [Fact]
    public async Task Records_a_refused_file_with_its_reason_and_missing_columns()
    {
        NothingPreparedYet();
        ServeRaw(ValidCsv.Replace("energy,", "", StringComparison.Ordinal));
        var order = new List<string>();
        var written = AcceptPuts(order);

        var result = await Processor().ProcessAsync(S3Events.UploadRecord(Raw, "no-energy.csv", ETag), CancellationToken.None);

        Assert.Equal(Outcomes.FileRefused, result.Outcome);
        var refused = Record(written[$"journeys/datasets/{result.DatasetId}/refused.json"]);
        Assert.Equal(JourneyStages.Refused, refused.Stage);
        Assert.Equal(["energy"], refused.Preparation!.MissingColumns);
        Assert.StartsWith("refused: ", refused.Summary, StringComparison.Ordinal);
        Assert.Contains("energy", refused.Preparation.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(order, k => k.EndsWith("/prepared.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_journey_record_that_cannot_be_written_is_logged_and_the_upload_is_still_prepared()
    {
        NothingPreparedYet();
        ServeRaw(ValidCsv);
        var order = new List<string>();
        _s3.Setup(s => s.PutObjectAsync(It.IsAny<PutObjectRequest>(), It.IsAny<CancellationToken>()))
            .Callback((PutObjectRequest r, CancellationToken _) => order.Add(r.Key))
            .Returns((PutObjectRequest r, CancellationToken _) => r.Key.StartsWith("journeys/", StringComparison.Ordinal)
                ? Task.FromException<PutObjectResponse>(S3Error(HttpStatusCode.Forbidden))
                : Task.FromResult(new PutObjectResponse()));

        var result = await Processor().ProcessAsync(S3Events.UploadRecord(Raw, "songs.csv", ETag), CancellationToken.None);

        Assert.Equal(Outcomes.Prepared, result.Outcome);
        Assert.Contains($"datasets/{result.DatasetId}/ready.csv", order);
        var warnings = _logs.ToString().Split('\n').Where(l => l.Contains("journey record not written", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, warnings.Count); // received, index, prepared, and the index once more
        Assert.All(warnings, w => Assert.Contains("\"level\":\"warn\"", w, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Records_a_failed_preparation_in_plain_words_and_still_fails_so_that_lambda_retries()
    {
        NothingPreparedYet();
        _s3.Setup(s => s.GetObjectAsync(It.IsAny<GetObjectRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(S3Error(HttpStatusCode.ServiceUnavailable));
        var written = AcceptPuts([]);

        await Assert.ThrowsAsync<AmazonS3Exception>(() => Processor().ProcessAsync(S3Events.UploadRecord(Raw, "songs.csv", ETag), CancellationToken.None));

        var failed = Record(Assert.Single(written, w => w.Key.Contains("/preprocess-failed-", StringComparison.Ordinal)).Value);
        Assert.Equal("S3 says 503", failed.Error);
        Assert.StartsWith("Amazon.S3.AmazonS3Exception: ", failed.ErrorDetail, StringComparison.Ordinal);
        Assert.Contains(written.Keys, k => k.EndsWith("/received.json", StringComparison.Ordinal));
    }

    private void ServeRaw(string csv) =>
        _s3.Setup(s => s.GetObjectAsync(It.IsAny<GetObjectRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new GetObjectResponse { ResponseStream = new MemoryStream(Encoding.UTF8.GetBytes(csv)) });

    private static JourneyRecord Record(string json) => JsonSerializer.Deserialize(json, JourneyJsonContext.Default.JourneyRecord)!;

    public void Dispose()
    {
        _logs.Dispose();
    }
}

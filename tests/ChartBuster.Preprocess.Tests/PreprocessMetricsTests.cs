using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ChartBuster.Preprocess.Runtime;
using ChartBuster.Songs.Journeys;
using Moq;

namespace ChartBuster.Preprocess.Tests;

/// <summary>
/// The function's metrics: embedded-metric-format lines in its log, read as CloudWatch reads them, and the trace id it
/// gives the upload, the same in its metric lines and its journey records.
/// </summary>
public sealed class PreprocessMetricsTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private const string Header = "track,artist,uri,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms,time_signature,chorus_hit,sections,target";

    private static string Row(int i, string energy = "0.8") =>
        $"Song {i},Artist {i % 40},spotify:track:{i:D22},0.7,{energy},5,-5.2,1,0.05,0.1,0,0.1,0.6,120,210000,4,35,9,{i % 2}";

    private static List<JsonElement> Lines(StringWriter log) =>
        [.. log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    private static List<JsonElement> MetricLines(StringWriter log) => [.. Lines(log).Where(l => l.TryGetProperty("_aws", out _))];

    private static IReadOnlyList<string> Dimensions(JsonElement line) =>
        [.. line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Dimensions")[0].EnumerateArray().Select(d => d.GetString()!)];

    private async Task<(JsonElement Result, StringWriter Log, string Ready)> Prepare(string content)
    {
        var raw = await emulator.CreateBucketAsync("raw");
        var ready = await emulator.CreateBucketAsync("ready");
        var log = new StringWriter();
        var handler = new PreprocessHandler(new RawSongFileProcessor(
            emulator.S3, new PreprocessOptions { ReadyBucket = ready, RawBucket = raw }, new JsonLog(log, TimeProvider.System), TimeProvider.System));
        var bytes = System.Text.Encoding.UTF8.GetBytes(content);
        var put = await emulator.S3.PutObjectAsync(new PutObjectRequest { BucketName = raw, Key = "songs-2010s.csv", InputStream = new MemoryStream(bytes) });
        var response = await handler.HandleAsync(
            new LambdaInvocation("req", DateTimeOffset.UtcNow.AddMinutes(15), null, null, S3Events.Uploaded((raw, "songs-2010s.csv", put.ETag, bytes.Length))), CancellationToken.None);
        return (JsonDocument.Parse(response).RootElement.GetProperty("results")[0].Clone(), log, ready);
    }

    [Fact]
    public async Task A_prepared_dataset_writes_valid_emf_lines_with_its_rows_and_its_rejects_by_reason()
    {
        var rows = Enumerable.Range(0, 200).Select(i => Row(i)).Append(Row(500, energy: "7.5")).Append(Row(501, energy: "-1"));

        var (result, log, _) = await Prepare(string.Join('\n', rows.Prepend(Header)) + "\n");

        Assert.Equal(Outcomes.Prepared, result.GetProperty("outcome").GetString());
        var lines = MetricLines(log);
        var outcome = Assert.Single(lines, l => Dimensions(l).SequenceEqual(["Service", "outcome"]));
        var directive = outcome.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        Assert.Equal("ChartBuster", directive.GetProperty("Namespace").GetString());
        Assert.Equal(
            ["chartbuster.preprocess.datasets", "chartbuster.preprocess.duration", "chartbuster.preprocess.rows.read", "chartbuster.preprocess.rows.kept", "chartbuster.preprocess.rows.rejected"],
            directive.GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Name").GetString()));
        Assert.Equal("Milliseconds", directive.GetProperty("Metrics")[1].GetProperty("Unit").GetString());
        Assert.Equal(("preprocess", "prepared"), (outcome.GetProperty("Service").GetString(), outcome.GetProperty("outcome").GetString()));
        Assert.Equal((1, 202, 200, 2), (
            outcome.GetProperty("chartbuster.preprocess.datasets").GetInt32(), outcome.GetProperty("chartbuster.preprocess.rows.read").GetInt32(),
            outcome.GetProperty("chartbuster.preprocess.rows.kept").GetInt32(), outcome.GetProperty("chartbuster.preprocess.rows.rejected").GetInt32()));
        Assert.InRange(outcome.GetProperty("_aws").GetProperty("Timestamp").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var byReason = lines.Where(l => Dimensions(l).SequenceEqual(["Service", "reason"])).ToList();
        var reason = Assert.Single(byReason);
        Assert.Equal(("out_of_range", 2), (reason.GetProperty("reason").GetString(), reason.GetProperty("chartbuster.preprocess.rows.rejected").GetInt32()));
    }

    [Fact]
    public async Task A_refused_file_is_counted_under_its_outcome()
    {
        var rows = Enumerable.Range(0, 20).Select(i => Row(i, energy: "9"));

        var (result, log, _) = await Prepare(string.Join('\n', rows.Prepend(Header)) + "\n");

        Assert.Equal(Outcomes.FileRefused, result.GetProperty("outcome").GetString());
        var outcome = Assert.Single(MetricLines(log), l => Dimensions(l).Contains("outcome"));
        Assert.Equal(("file_refused", 1, 0), (outcome.GetProperty("outcome").GetString(), outcome.GetProperty("chartbuster.preprocess.datasets").GetInt32(), outcome.GetProperty("chartbuster.preprocess.rows.kept").GetInt32()));
    }

    [Fact]
    public async Task The_upload_gets_one_trace_id_in_its_metric_line_its_log_and_its_journey_records()
    {
        var (result, log, ready) = await Prepare(string.Join('\n', Enumerable.Range(0, 50).Select(i => Row(i)).Prepend(Header)) + "\n");

        var datasetId = result.GetProperty("datasetId").GetString()!;
        var traceId = Assert.Single(MetricLines(log), l => Dimensions(l).Contains("outcome")).GetProperty("traceId").GetString();
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.Contains(Lines(log), l => l.TryGetProperty("message", out var m) && m.GetString() == "preparing dataset" && l.GetProperty("traceId").GetString() == traceId);
        foreach (var stage in new[] { JourneyStages.Received, JourneyStages.Prepared })
        {
            var record = JsonSerializer.Deserialize(await emulator.ReadTextAsync(ready, JourneyKeys.Record(datasetId, stage)), JourneyJsonContext.Default.JourneyRecord)!;
            Assert.Matches($"^00-{traceId}-[0-9a-f]{{16}}-01$", record.TraceParent);
        }
    }

    [Fact]
    public async Task A_failed_preparation_is_counted_as_failed_with_its_duration()
    {
        var s3 = SlowS3.Create();
        // The event's order is read (none yet); checking for an earlier preparation then fails: S3 slows down.
        s3.Setup(s => s.GetObjectAsync("ready", It.Is<string>(k => k.StartsWith(EventOrder.Prefix, StringComparison.Ordinal)), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AmazonS3Exception("no such key", ErrorType.Sender, "NoSuchKey", "r", HttpStatusCode.NotFound));
        var log = new StringWriter();
        var handler = new PreprocessHandler(new RawSongFileProcessor(s3.Object, new PreprocessOptions { ReadyBucket = "ready" }, new JsonLog(log, TimeProvider.System), TimeProvider.System));

        await Assert.ThrowsAsync<AmazonS3Exception>(() => handler.HandleAsync(
            new LambdaInvocation("req", DateTimeOffset.UtcNow.AddMinutes(5), null, null, S3Events.Uploaded(("raw", "a.csv", "e", 1))), CancellationToken.None));

        var line = Assert.Single(MetricLines(log));
        Assert.Equal(("failed", 1), (line.GetProperty("outcome").GetString(), line.GetProperty("chartbuster.preprocess.datasets").GetInt32()));
        Assert.True(line.GetProperty("chartbuster.preprocess.duration").GetDouble() >= 0);
    }
}

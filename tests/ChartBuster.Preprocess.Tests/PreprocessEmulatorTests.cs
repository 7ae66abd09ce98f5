using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using ChartBuster.Preprocess.Runtime;
using ChartBuster.Songs;
using ChartBuster.Songs.Events;

namespace ChartBuster.Preprocess.Tests;

/// <summary>The handler against the S3 emulator over real HTTP, fed the event JSON that S3 sends.</summary>
public sealed class PreprocessEmulatorTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private async Task<(string Raw, string Ready, PreprocessHandler Handler)> Pipeline(int partSize = 8 << 20, IAmazonS3? s3 = null, double maxRejectedShare = 0.2)
    {
        var raw = await emulator.CreateBucketAsync("raw");
        var ready = await emulator.CreateBucketAsync("ready");
        var processor = new RawSongFileProcessor(
            s3 ?? emulator.S3, new PreprocessOptions { ReadyBucket = ready, RawBucket = raw, MaxRejectedShare = maxRejectedShare },
            new JsonLog(TextWriter.Null, TimeProvider.System), TimeProvider.System, partSize);
        return (raw, ready, new PreprocessHandler(processor));
    }

    private async Task<PutObjectResponse> Upload(string bucket, string key, byte[] content) =>
        await emulator.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(content) });

    private static async Task<JsonElement> Invoke(PreprocessHandler handler, string bucket, string key, string etag, long size, CancellationToken cancellationToken = default)
    {
        var invocation = new LambdaInvocation("req", DateTimeOffset.UtcNow.AddMinutes(15), null, null, S3Events.Uploaded((bucket, key, etag, size)));
        var response = await handler.HandleAsync(invocation, cancellationToken);
        return JsonDocument.Parse(response).RootElement.GetProperty("results")[0].Clone();
    }

    private async Task<CleaningReport> Report(string ready, string datasetId) =>
        JsonSerializer.Deserialize(await emulator.ReadTextAsync(ready, $"datasets/{datasetId}/report.json"), SongJsonContext.Default.CleaningReport)!;

    private async Task<int> LineCount(string bucket, string key) =>
        (await emulator.ReadTextAsync(bucket, key)).Count(c => c == '\n');

    [Fact]
    public async Task Prepares_every_real_decade_file_uploaded_under_an_awkward_key()
    {
        var (raw, ready, handler) = await Pipeline();

        foreach (var path in RepositoryPaths.DecadeFiles())
        {
            var key = $"uploads/Chart run (final) + extra/{Path.GetFileName(path)}";
            var content = await File.ReadAllBytesAsync(path);
            var put = await Upload(raw, key, content);

            var result = await Invoke(handler, raw, key, put.ETag, content.Length);

            Assert.Equal(Outcomes.Prepared, result.GetProperty("outcome").GetString());
            var id = result.GetProperty("datasetId").GetString()!;
            var objects = await emulator.ListAsync(ready, $"datasets/{id}/");
            Assert.Equal(["cleaned.csv", "ready.csv", "rejects.csv", "report.json"], objects.Select(o => o.Key.Split('/')[^1]).Order());
            var report = await Report(ready, id);
            Assert.True(report.AddsUp);
            Assert.Equal(report.RowsKept + 1, await LineCount(ready, $"datasets/{id}/ready.csv"));
            Assert.Equal(report.RowsKept + 1, await LineCount(ready, $"datasets/{id}/cleaned.csv"));
            Assert.Equal(report.RowsRead - report.RowsKept + 1, await LineCount(ready, $"datasets/{id}/rejects.csv"));
            Assert.Equal($"s3://{raw}/{key}", report.Source);
            Assert.Equal("file name", report.DecadeSource);
        }
    }

    [Fact]
    public async Task A_second_event_for_the_same_upload_writes_nothing()
    {
        var (raw, ready, handler) = await Pipeline();
        var path = RepositoryPaths.DecadeFiles()[0];
        var content = await File.ReadAllBytesAsync(path);
        var put = await Upload(raw, "again and again.csv", content);
        var first = await Invoke(handler, raw, "again and again.csv", put.ETag, content.Length);
        var before = (await emulator.ListAsync(ready)).Select(o => (o.Key, o.ETag, o.LastModified)).ToList();

        var second = await Invoke(handler, raw, "again and again.csv", put.ETag, content.Length);

        Assert.Equal(Outcomes.AlreadyPrepared, second.GetProperty("outcome").GetString());
        Assert.Equal(first.GetProperty("datasetId").GetString(), second.GetProperty("datasetId").GetString());
        Assert.Equal(before, (await emulator.ListAsync(ready)).Select(o => (o.Key, o.ETag, o.LastModified)).ToList());
    }

    [Fact]
    public async Task An_event_older_than_one_already_handled_for_the_same_key_is_ignored()
    {
        var (raw, ready, handler) = await Pipeline();
        var content = await File.ReadAllBytesAsync(RepositoryPaths.DecadeFiles()[2]);
        var put = await Upload(raw, "songs.csv", content);
        var upload = new S3ObjectCreated(raw, "songs.csv", content.Length, put.ETag);
        var earlier = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

        // The same upload announced twice (S3 delivers at least once), the newer notification first.
        var newer = await handler.HandleAsync(Event(upload, earlier.AddSeconds(5)), CancellationToken.None);
        var before = (await emulator.ListAsync(ready)).Select(o => (o.Key, o.LastModified)).ToList();
        var older = await handler.HandleAsync(Event(upload, earlier), CancellationToken.None);

        Assert.Equal(Outcomes.Prepared, Outcome(newer));
        Assert.Equal(Outcomes.Stale, Outcome(older));
        Assert.Equal(before, (await emulator.ListAsync(ready)).Select(o => (o.Key, o.LastModified)).ToList());
    }

    private static LambdaInvocation Event(S3ObjectCreated upload, DateTimeOffset time) =>
        new("req", DateTimeOffset.UtcNow.AddMinutes(15), null, null, ChartBuster.Songs.Events.S3EventJson.ObjectCreated([upload], time));

    private static string? Outcome(byte[] response) => JsonDocument.Parse(response).RootElement.GetProperty("results")[0].GetProperty("outcome").GetString();

    [Fact]
    public async Task A_file_missing_a_column_gets_a_report_and_no_ready_csv()
    {
        var (raw, ready, handler) = await Pipeline();
        var csv = (await File.ReadAllTextAsync(RepositoryPaths.DecadeFiles()[1])).Replace(",tempo,", ",bpm,", StringComparison.Ordinal);
        var put = await Upload(raw, "no tempo.csv", Encoding.UTF8.GetBytes(csv));

        var result = await Invoke(handler, raw, "no tempo.csv", put.ETag, csv.Length);

        Assert.Equal(Outcomes.FileRefused, result.GetProperty("outcome").GetString());
        var id = result.GetProperty("datasetId").GetString()!;
        Assert.Equal([$"datasets/{id}/report.json"], (await emulator.ListAsync(ready, "datasets/")).Select(o => o.Key));
        Assert.Equal(["tempo"], (await Report(ready, id)).MissingColumns);
        Assert.Equal(
            [$"journeys/datasets/{id}/received.json", $"journeys/datasets/{id}/refused.json", ChartBuster.Songs.Journeys.JourneyKeys.IndexEntry(id, new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero))],
            (await emulator.ListAsync(ready, "journeys/")).Select(o => o.Key));
    }

    [Fact]
    public async Task A_file_over_11_MiB_goes_in_and_out_through_multipart_uploads()
    {
        var (raw, ready, handler) = await Pipeline(partSize: 5 << 20);
        var (content, etag) = await UploadLargeFile(raw, "big/dataset-of-90s.csv");

        var result = await Invoke(handler, raw, "big/dataset-of-90s.csv", etag, content.Length);

        Assert.Equal(Outcomes.Prepared, result.GetProperty("outcome").GetString());
        var id = result.GetProperty("datasetId").GetString()!;
        var cleaned = await emulator.S3.GetObjectMetadataAsync(ready, $"datasets/{id}/cleaned.csv");
        Assert.True(cleaned.ContentLength > 11 << 20);
        Assert.Matches("-[0-9]+\"?$", cleaned.ETag); // a multipart object's ETag ends in -partCount
        var report = await Report(ready, id);
        Assert.Equal(report.RowsKept + 1, await LineCount(ready, $"datasets/{id}/ready.csv"));
    }

    [Fact]
    public async Task A_cancelled_invocation_aborts_the_multipart_upload_in_flight_and_leaves_no_dataset_file()
    {
        await using var proxy = await FaultyProxy.StartAsync(emulator.Endpoint);
        using var s3 = ChartBuster.Aws.AwsClients.S3(name => proxy.Environment.GetValueOrDefault(name), new ChartBuster.Aws.AwsCallPolicy { TimeoutSeconds = 600 });
        var (raw, ready, handler) = await Pipeline(partSize: 5 << 20, s3);
        var (content, etag) = await UploadLargeFile(raw, "big/dataset-of-90s.csv");
        proxy.Inject(new Fault("PUT", "/cleaned.csv", FaultKind.Hang)); // the first part of cleaned.csv never arrives
        using var cancel = new CancellationTokenSource();

        var invocation = Invoke(handler, raw, "big/dataset-of-90s.csv", etag, content.Length, cancel.Token);
        await Waiting.Until(() => Task.FromResult(proxy.Count("fault:Hang") == 1), "a part upload in flight", TimeSpan.FromSeconds(60));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => invocation);
        var part = Assert.Single(proxy.Log, l => l.StartsWith("PUT ", StringComparison.Ordinal) && l.Contains("/cleaned.csv?", StringComparison.Ordinal));
        var uploadId = Uri.UnescapeDataString(part.Split("uploadId=")[1].Split(' ', '&')[0]);
        Assert.Single(proxy.Log, l => l.StartsWith("DELETE ", StringComparison.Ordinal) && l.Contains($"uploadId={uploadId}", StringComparison.Ordinal) && l.EndsWith("-> 204", StringComparison.Ordinal));
        var complete = () => emulator.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = ready, Key = part.Split(' ')[1].Split('?')[0].Split('/', 3)[2], UploadId = uploadId, PartETags = [new PartETag(1, "\"x\"")],
        });
        Assert.Equal("NoSuchUpload", (await Assert.ThrowsAsync<AmazonS3Exception>(complete)).ErrorCode);
        Assert.DoesNotContain(await emulator.ListAsync(ready, "datasets/"), o => o.Key.EndsWith(".csv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_prepared_in_one_pass_completes_each_output_as_a_multipart_upload()
    {
        await using var proxy = await FaultyProxy.StartAsync(emulator.Endpoint);
        using var s3 = ChartBuster.Aws.AwsClients.S3(name => proxy.Environment.GetValueOrDefault(name), new ChartBuster.Aws.AwsCallPolicy { TimeoutSeconds = 600 });
        var (raw, ready, handler) = await Pipeline(partSize: 5 << 20, s3);
        var (content, etag) = await UploadLargeFile(raw, "big/dataset-of-60s.csv", SixtiesWithoutConflicts);

        var result = await Invoke(handler, raw, "big/dataset-of-60s.csv", etag, content.Length);

        Assert.Equal(Outcomes.Prepared, result.GetProperty("outcome").GetString());
        var id = result.GetProperty("datasetId").GetString()!;
        Assert.Single(proxy.Log, l => l.StartsWith("GET ", StringComparison.Ordinal) && l.Contains("/big/dataset-of-60s.csv", StringComparison.Ordinal)); // one pass
        Assert.DoesNotContain(proxy.Log, l => l.StartsWith("DELETE ", StringComparison.Ordinal));
        var report = await Report(ready, id);
        Assert.True(report is { AddsUp: true, ConflictingTargetRowsRemoved: 0 });
        var readyCsv = await emulator.S3.GetObjectMetadataAsync(ready, $"datasets/{id}/ready.csv");
        Assert.True(readyCsv.ContentLength > 11 << 20);
        Assert.Matches("-[0-9]+\"?$", readyCsv.ETag); // a multipart object's ETag ends in -partCount
        Assert.Equal(report.RowsKept + 1, await LineCount(ready, $"datasets/{id}/ready.csv"));
    }

    [Fact]
    public async Task A_file_refused_after_one_pass_aborts_the_ready_csv_upload_it_had_started()
    {
        await using var proxy = await FaultyProxy.StartAsync(emulator.Endpoint);
        using var s3 = ChartBuster.Aws.AwsClients.S3(name => proxy.Environment.GetValueOrDefault(name), new ChartBuster.Aws.AwsCallPolicy { TimeoutSeconds = 600 });
        var (raw, ready, handler) = await Pipeline(partSize: 5 << 20, s3, maxRejectedShare: 0.005);
        var (content, etag) = await UploadLargeFile(raw, "big/dataset-of-60s.csv", SixtiesWithoutConflicts, invalidEvery: 100);

        var result = await Invoke(handler, raw, "big/dataset-of-60s.csv", etag, content.Length);

        Assert.Equal(Outcomes.FileRefused, result.GetProperty("outcome").GetString());
        var id = result.GetProperty("datasetId").GetString()!;
        Assert.Equal(["cleaned.csv", "rejects.csv", "report.json"], (await emulator.ListAsync(ready, $"datasets/{id}/")).Select(o => o.Key.Split('/')[^1]).Order());
        var report = await Report(ready, id);
        Assert.True(report is { AddsUp: true, RowsRejected: > 0 });
        Assert.DoesNotContain("ready.csv", report.Outputs);
        // ready.csv was under way (its parts went up as the rows were read) and was aborted: no object, no parts left.
        var part = proxy.Log.First(l => l.StartsWith("PUT ", StringComparison.Ordinal) && l.Contains("/ready.csv?", StringComparison.Ordinal));
        var uploadId = Uri.UnescapeDataString(part.Split("uploadId=")[1].Split(' ', '&')[0]);
        Assert.Single(proxy.Log, l => l.StartsWith("DELETE ", StringComparison.Ordinal) && l.Contains($"uploadId={uploadId}", StringComparison.Ordinal) && l.EndsWith("-> 204", StringComparison.Ordinal));
        var complete = () => emulator.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = ready, Key = $"datasets/{id}/ready.csv", UploadId = uploadId, PartETags = [new PartETag(1, "\"x\"")],
        });
        Assert.Equal("NoSuchUpload", (await Assert.ThrowsAsync<AmazonS3Exception>(complete)).ErrorCode);
    }

    /// <summary>The real 1960s file: its copies of a song never disagree on target, so it is cleaned in one pass.</summary>
    private static string SixtiesWithoutConflicts => RepositoryPaths.DecadeFiles().Single(f => f.EndsWith("dataset-of-60s.csv", StringComparison.Ordinal));

    /// <summary>A file over the emulator's 11 MiB single-request limit, uploaded in 5 MiB parts; its content and ETag.</summary>
    private async Task<(byte[] Content, string ETag)> UploadLargeFile(string bucket, string key, string? source = null, int invalidEvery = 0)
    {
        var content = LargeFile(minimumBytes: 12 << 20, source ?? RepositoryPaths.DecadeFiles()[0], invalidEvery);
        using var transfer = new TransferUtility(emulator.S3, new TransferUtilityConfig { MinSizeBeforePartUpload = 5 << 20 });
        await transfer.UploadAsync(new TransferUtilityUploadRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(content), PartSize = 5 << 20 });
        return (content, (await emulator.S3.GetObjectMetadataAsync(bucket, key)).ETag);
    }

    /// <summary>Real rows repeated under fresh uris until the file passes the requested size; every <paramref name="invalidEvery"/>-th row with a blank tempo.</summary>
    private static byte[] LargeFile(int minimumBytes, string source, int invalidEvery)
    {
        var lines = File.ReadAllLines(source);
        var tempo = Array.IndexOf(lines[0].TrimStart('\uFEFF').Split(','), "tempo");
        var text = new StringBuilder(lines[0]).Append('\n');
        for (var (copy, row) = (0, 0); text.Length < minimumBytes; copy++)
        {
            foreach (var line in lines.Skip(1))
            {
                var fresh = line.Replace("spotify:track:", $"spotify:track:{copy:D4}", StringComparison.Ordinal);
                if (invalidEvery > 0 && ++row % invalidEvery == 0)
                {
                    var fields = fresh.Split(',');
                    fields[^(lines[0].Split(',').Length - tempo)] = ""; // counted from the end: track names may hold commas
                    fresh = string.Join(',', fields);
                }

                text.Append(fresh).Append('\n');
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}

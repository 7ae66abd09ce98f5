using ChartBuster.Songs.Events;
using System.Net;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using ChartBuster.Preprocess.Storage;
using ChartBuster.Songs;
using ChartBuster.Songs.Journeys;
using ChartBuster.Songs.Telemetry;

namespace ChartBuster.Preprocess;

/// <summary>
/// Prepares the dataset for one raw object named in an S3 event: decodes the key, skips what is not a
/// song file, refuses to write into the bucket it reads, ignores an event older than one already handled for the
/// same object (by its sequencer, <see cref="EventOrder"/>), does nothing for an upload already prepared
/// (S3 delivers events at least once), and otherwise streams it through <see cref="DatasetPreparer"/>
/// into datasets/{datasetId}/ in the ready bucket. S3 failures propagate so that Lambda retries. Each stage leaves a
/// journey record (received, prepared or refused, failed) beside the dataset; a record that cannot be written is
/// logged and the work goes on.
/// </summary>
public sealed class RawSongFileProcessor(IAmazonS3 s3, PreprocessOptions options, JsonLog log, TimeProvider time, int partSize = S3UploadStream.DefaultPartSize)
{
    /// <summary>The trace of the upload being prepared (TraceParents): every journey record of it carries it.</summary>
    private static readonly AsyncLocal<string?> s_trace = new();

    private readonly DatasetPreparer _preparer = new(new CleaningOptions { MaxRejectedShare = options.MaxRejectedShare });
    private readonly PreprocessMetrics _metrics = new(log, time);
    private readonly JourneyRecorder _journey = new(
        (key, content, cancellationToken) => PutJsonAsync(s3, options.ReadyBucket, key, content, cancellationToken),
        (key, e) => log.Warn("journey record not written; the work goes on", ("key", key), ("error", JourneyErrors.Detail(e))),
        () => s_trace.Value);
    private readonly EventOrder _order = new(s3, options.ReadyBucket);

    public async Task<PreprocessResult> ProcessAsync(S3EventRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var bucket = record.S3.Bucket.Name;
        var key = WebUtility.UrlDecode(record.S3.Item.Key);
        if (!DatasetFileNames.IsSongFile(key))
        {
            log.Info("ignored: not a .csv or .csv.gz", ("bucket", bucket), ("key", key));
            return new PreprocessResult(bucket, key, Outcomes.Ignored, null, "not a .csv or .csv.gz file");
        }

        if (bucket == options.ReadyBucket || (options.RawBucket is { } raw && bucket != raw))
        {
            // Writing into the bucket that triggers us would loop; a foreign bucket means a miswired trigger.
            log.Error("refused: event from a bucket this function must not read", null, ("bucket", bucket), ("key", key),
                ("readyBucket", options.ReadyBucket), ("rawBucket", options.RawBucket));
            return new PreprocessResult(bucket, key, Outcomes.Refused, null, $"events from bucket '{bucket}' are not processed");
        }

        var sequencer = record.S3.Item.Sequencer;
        var latest = sequencer is null ? null : await _order.LatestAsync(bucket, key, cancellationToken);
        if (sequencer is not null && latest is not null && EventOrder.Compare(sequencer, latest.Sequencer) < 0)
        {
            log.Warn("ignored: an older event than one already handled for this object", ("bucket", bucket), ("key", key),
                ("sequencer", sequencer), ("handledSequencer", latest.Sequencer), ("handledDatasetId", latest.DatasetId));
            return new PreprocessResult(bucket, key, Outcomes.Stale, latest.DatasetId, "a newer event for this object was already handled");
        }

        var etag = DatasetIds.NormalizeETag(record.S3.Item.ETag ?? await CurrentETagAsync(bucket, key, cancellationToken));
        var datasetId = DatasetIds.From(key, etag);
        // S3 stamps every event with its time: the same upload always gets the same place in the journey index.
        var upload = new UploadFacts(bucket, key, Path.GetFileName(key), record.S3.Item.Size, etag, record.EventTime ?? time.GetUtcNow());
        var startedAt = time.GetTimestamp();
        s_trace.Value = TraceParents.New();
        try
        {
            var result = await PrepareAsync(upload, datasetId, cancellationToken);
            if (sequencer is not null && (latest is null || EventOrder.Compare(sequencer, latest.Sequencer) > 0))
            {
                await _order.RecordAsync(new HandledEvent(bucket, key, sequencer, datasetId), cancellationToken); // after the work it records
            }

            return result;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            // The object was overwritten since this event; the newer upload has an event of its own.
            log.Warn("skipped: the object changed since this event", ("bucket", bucket), ("key", key), ("datasetId", datasetId));
            _metrics.Ended(Outcomes.Superseded, time.GetElapsedTime(startedAt), datasetId, s_trace.Value);
            await _journey.WriteAsync(
                JourneyRecords.PreprocessFailed(datasetId, "the file was replaced by a newer upload before it could be read", JourneyErrors.Detail(e), time.GetUtcNow()),
                cancellationToken);
            return new PreprocessResult(bucket, key, Outcomes.Superseded, datasetId, "the object was replaced after this event");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.Error("preprocess failed", e, ("bucket", bucket), ("key", key), ("datasetId", datasetId));
            _metrics.Ended(Outcomes.Failed, time.GetElapsedTime(startedAt), datasetId, s_trace.Value);
            await _journey.WriteAsync(
                JourneyRecords.PreprocessFailed(datasetId, JourneyErrors.PlainWords(e), JourneyErrors.Detail(e), time.GetUtcNow()), CancellationToken.None);
            throw;
        }
    }

    private async Task<PreprocessResult> PrepareAsync(UploadFacts upload, string datasetId, CancellationToken cancellationToken)
    {
        var (bucket, key) = (upload.Bucket, upload.Key);
        var prefix = JourneyKeys.PreparedPrefix(datasetId);
        if (await AlreadyPreparedAsync(prefix, cancellationToken))
        {
            log.Info("skipped: dataset already prepared", ("bucket", bucket), ("key", key), ("datasetId", datasetId));
            return new PreprocessResult(bucket, key, Outcomes.AlreadyPrepared, datasetId, null);
        }

        log.Info("preparing dataset", ("bucket", bucket), ("key", key), ("datasetId", datasetId), ("etag", upload.ETag),
            ("traceId", TraceParents.TraceIdOf(s_trace.Value)));
        await _journey.WriteAsync(JourneyRecords.Received(datasetId, upload, time.GetUtcNow()), cancellationToken);
        var indexed = await _journey.WriteIndexAsync(datasetId, upload, cancellationToken);
        var store = new S3DatasetStore(s3, options.ReadyBucket, prefix, partSize);
        var report = await _preparer.PrepareAsync(
            ct => OpenAsync(bucket, key, upload.ETag, ct), $"s3://{bucket}/{key}", datasetId, store, cancellationToken, upload.Size);
        log.Info(report.IsReady ? "dataset ready" : "file refused", ("bucket", bucket), ("key", key), ("datasetId", datasetId),
            ("rowsRead", report.RowsRead), ("rowsKept", report.RowsKept), ("rowsRejected", report.RowsRejected),
            ("duplicatesRemoved", report.DuplicatesRemoved), ("elapsedMs", report.ElapsedMilliseconds), ("error", report.Error));
        _metrics.Prepared(report.IsReady ? Outcomes.Prepared : Outcomes.FileRefused, report, datasetId, s_trace.Value);
        await _journey.WriteAsync(JourneyRecords.Prepared(datasetId, report, time.GetUtcNow()), cancellationToken);
        if (!indexed)
        {
            await _journey.WriteIndexAsync(datasetId, upload, cancellationToken);
        }

        return new PreprocessResult(bucket, key, report.IsReady ? Outcomes.Prepared : Outcomes.FileRefused, datasetId, report.Error);
    }

    /// <summary>
    /// True when ready.csv exists, or when report.json says the file was refused: either way the work for
    /// this (key, ETag) is done. A report that says "ready" without ready.csv is an interrupted run: redo it.
    /// </summary>
    private async Task<bool> AlreadyPreparedAsync(string prefix, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(prefix + DatasetFileNames.Ready, cancellationToken))
        {
            return true;
        }

        try
        {
            using var response = await s3.GetObjectAsync(options.ReadyBucket, prefix + DatasetFileNames.Report, cancellationToken);
            var report = await JsonSerializer.DeserializeAsync(response.ResponseStream, SongJsonContext.Default.CleaningReport, cancellationToken);
            return report is { IsReady: false };
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await s3.GetObjectMetadataAsync(options.ReadyBucket, key, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static async Task PutJsonAsync(IAmazonS3 s3, string bucket, string key, byte[] content, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(content, writable: false);
        await s3.PutObjectAsync(
            new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body, ContentType = "application/json", AutoCloseStream = false },
            cancellationToken);
    }

    private async Task<string> CurrentETagAsync(string bucket, string key, CancellationToken cancellationToken) =>
        (await s3.GetObjectMetadataAsync(bucket, key, cancellationToken)).ETag;

    /// <summary>Reads the exact version the event announced: both passes see the same bytes or fail.</summary>
    private async Task<Stream> OpenAsync(string bucket, string key, string etag, CancellationToken cancellationToken)
    {
        var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, EtagToMatch = $"\"{etag}\"" }, cancellationToken);
        return response.ResponseStream;
    }
}

/// <summary>The outcome codes a record can have, as reported in the function's response.</summary>
public static class Outcomes
{
    public const string Prepared = "prepared";
    public const string FileRefused = "file_refused";
    public const string AlreadyPrepared = "already_prepared";
    public const string Ignored = "ignored";
    public const string Refused = "refused";
    public const string Superseded = "superseded";
    public const string Stale = "stale_event";

    /// <summary>Preparing failed (the invocation fails and Lambda retries); only in metrics, as a failed invocation answers nothing.</summary>
    public const string Failed = "failed";
}

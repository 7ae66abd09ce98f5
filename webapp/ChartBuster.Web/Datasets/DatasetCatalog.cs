using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using ChartBuster.Songs;
using ChartBuster.Songs.Csv;
using ChartBuster.Songs.Journeys;
using ChartBuster.Songs.Telemetry;
using ChartBuster.Model.Serving;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using ChartBuster.Songs.Pipeline;

namespace ChartBuster.Web.Datasets;

/// <summary>
/// Reads datasets and their journeys from the ready bucket for the pages and the API. A page of the list is one
/// ListObjectsV2 of the newest-first index (MaxKeys, StartAfter) and, per dataset, one listing of its few records and
/// their GETs: the cost follows the page size, never the number of datasets. Results are kept a few seconds, and all
/// requests together hold at most <see cref="DatasetsOptions.MaxConcurrentReads"/> S3 calls in flight.
/// </summary>
public sealed partial class DatasetCatalog(
    Lazy<IAmazonS3> s3,
    IOptions<DatasetsOptions> options,
    CurrentModel current,
    ILogger<DatasetCatalog> logger) : IDisposable
{
    /// <summary>Entries (pages, journeys, details) kept at once; each is a few kilobytes.</summary>
    private const int CacheEntries = 2_000;

    private readonly DatasetsOptions _options = options.Value;
    private readonly SemaphoreSlim _reads = new(options.Value.MaxConcurrentReads);
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = CacheEntries });
    private IAmazonS3 S3 => s3.Value;

    public bool IsConnected => _options.IsConnected;

    private string Bucket => _options.ReadyBucket ?? throw new InvalidOperationException($"{PipelineVariables.ReadyBucket} is not set.");

    /// <summary>Up to <paramref name="limit"/> datasets uploaded before the one at <paramref name="after"/> (a cursor), newest first.</summary>
    public Task<DatasetPage> PageAsync(string? after, int limit, CancellationToken cancellationToken) =>
        CachedAsync($"page|{after}|{limit}", async () =>
        {
            var listing = await ReadAsync(ct => S3.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = Bucket,
                Prefix = JourneyKeys.IndexPrefix,
                StartAfter = after is null ? null : JourneyKeys.IndexStartAfter(after),
                MaxKeys = limit,
            }, ct), cancellationToken);
            var entries = new List<(string Id, DateTimeOffset UploadedAt, string Cursor)>();
            foreach (var item in listing.S3Objects ?? [])
            {
                if (JourneyKeys.TryParseIndexEntry(item.Key, out var id, out var uploadedAt, out var cursor) && entries.All(e => e.Id != id))
                {
                    entries.Add((id, uploadedAt, cursor));
                }
            }

            var journeys = await Task.WhenAll(entries.Select(e => JourneyAsync(e.Id, cancellationToken)));
            var datasets = entries.Zip(journeys).Select(p => Summarize(p.First.Id, p.Second ?? Journey.Empty, p.First.UploadedAt)).ToList();
            var next = listing.IsTruncated == true && listing.S3Objects is { Count: > 0 } items
                && JourneyKeys.TryParseIndexEntry(items[^1].Key, out _, out _, out var last) ? last : null;
            return new DatasetPage(datasets, next);
        });

    /// <summary>One dataset: its summary, timeline, counts, model, and the first rejected rows; null when nothing is known of it.</summary>
    public Task<DatasetDetail?> DetailAsync(string datasetId, CancellationToken cancellationToken) =>
        CachedAsync($"detail|{datasetId}", async () =>
        {
            if (await JourneyAsync(datasetId, cancellationToken) is not { } journey)
            {
                return null;
            }

            var upload = journey.Records.LastOrDefault(r => r.Upload is not null)?.Upload;
            var hasRejects = journey.Preparation is { } p && p.RowsRead > p.RowsKept;
            var (rejects, more) = hasRejects ? await RejectsHeadAsync(datasetId, cancellationToken) : ([], false);
            var timeline = journey.Records.Select(r => new TimelineEntry(r.At, r.Stage, r.Summary, DatasetState.ToneOf(r), r.Error)).ToList();
            // The newest record's trace: the training's when the worker has run (it continues the upload's), else the upload's.
            var traceId = TraceParents.TraceIdOf(journey.Records.LastOrDefault(r => r.TraceParent is not null)?.TraceParent);
            return (DatasetDetail?)new DatasetDetail(Summarize(datasetId, journey, upload?.UploadedAt), upload, journey.Preparation, timeline, rejects, more, traceId);
        });

    public void Dispose()
    {
        _reads.Dispose();
        _cache.Dispose();
    }

    private DatasetSummary Summarize(string datasetId, Journey journey, DateTimeOffset? uploadedAt)
    {
        var upload = journey.Records.LastOrDefault(r => r.Upload is not null)?.Upload;
        var preparation = journey.Preparation;
        var outcome = journey.Records.LastOrDefault(r => r.Model is not null)?.Model;
        var state = journey.Records.Count > 0 ? DatasetState.Of(journey.Records)
            : preparation is null ? DatasetState.Received
            : preparation.Status == CleaningReport.Ready ? DatasetState.Queued
            : DatasetState.Refused;
        return new DatasetSummary(
            datasetId,
            upload?.FileName ?? datasetId,
            upload?.UploadedAt ?? uploadedAt,
            state,
            preparation is null ? null : new RowCountsView(
                preparation.RowsRead, preparation.RowsKept, preparation.RowsRejected, preparation.DuplicatesRemoved + preparation.ConflictingTargetRowsRemoved),
            outcome is null ? null : new ModelView(
                outcome.ModelVersion, outcome.Promoted, Finite(outcome.ValidationAuc), outcome.ServingVersion, Finite(outcome.ServingAucOnSameSongs),
                current.Serving?.Version == outcome.ModelVersion, outcome.Reason, outcome.FailedRule, outcome.MinimumAuc, outcome.Tolerance,
                outcome.TrainingRows, outcome.ValidationRows, outcome.Metrics.Where(m => double.IsFinite(m.Value)).ToDictionary()));
    }

    /// <summary>A dataset's records in journey order, and its counts (from report.json when no record carries them).</summary>
    private Task<Journey?> JourneyAsync(string datasetId, CancellationToken cancellationToken) =>
        CachedAsync($"journey|{datasetId}", async () =>
        {
            var listing = await ReadAsync(ct => S3.ListObjectsV2Async(
                new ListObjectsV2Request { BucketName = Bucket, Prefix = JourneyKeys.RecordsPrefix(datasetId), MaxKeys = 1000 }, ct), cancellationToken);
            var keys = (listing.S3Objects ?? []).Select(o => o.Key).Where(k => JourneyKeys.TryParseRecord(k, out _, out _));
            var records = (await Task.WhenAll(keys.Select(k => ReadRecordAsync(k, cancellationToken)))).OfType<JourneyRecord>();
            var ordered = DatasetState.InJourneyOrder(records);
            var preparation = ordered.LastOrDefault(r => r.Preparation is not null)?.Preparation ?? await ReportAsync(datasetId, cancellationToken);
            return ordered.Count == 0 && preparation is null ? null : new Journey(ordered, preparation);
        });

    private async Task<JourneyRecord?> ReadRecordAsync(string key, CancellationToken cancellationToken)
    {
        var bytes = await ReadBytesAsync(key, cancellationToken);
        try
        {
            return bytes is null ? null : JsonSerializer.Deserialize(bytes, JourneyJsonContext.Default.JourneyRecord);
        }
        catch (JsonException e)
        {
            LogUnreadable(e, key);
            return null;
        }
    }

    private async Task<PreparationFacts?> ReportAsync(string datasetId, CancellationToken cancellationToken)
    {
        var bytes = await ReadBytesAsync(JourneyKeys.PreparedFile(datasetId, DatasetFileNames.Report), cancellationToken, unlisted: true);
        try
        {
            return bytes is null ? null : PreparationFacts.From(JsonSerializer.Deserialize(bytes, SongJsonContext.Default.CleaningReport)!);
        }
        catch (JsonException e)
        {
            LogUnreadable(e, datasetId);
            return null;
        }
    }

    /// <summary>The first rows of rejects.csv from one ranged GET; a record cut by the range is dropped.</summary>
    private async Task<(IReadOnlyList<RejectedRow> Rows, bool More)> RejectsHeadAsync(string datasetId, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest
        {
            BucketName = Bucket,
            Key = JourneyKeys.PreparedFile(datasetId, DatasetFileNames.Rejects),
            ByteRange = new ByteRange(0, _options.RejectsPreviewBytes - 1),
        };
        byte[] head;
        long total;
        try
        {
            (head, total) = await ReadAsync(async ct =>
            {
                using var response = await S3.GetObjectAsync(request, ct);
                var buffer = new byte[_options.RejectsPreviewBytes];
                var length = await response.ResponseStream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
                return (buffer[..length], TotalLength(response.ContentRange) ?? length);
            }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // Forbidden: S3 answers 403, not 404, for a missing key under a prefix the site may not list (datasets/).
            return ([], false);
        }

        var cut = total > head.Length;
        var complete = cut ? head.AsSpan(0, head.AsSpan().LastIndexOf((byte)'\n') + 1).ToArray() : head;
        return ParseRejects(complete, _options.RejectsPreviewRows, cut);
    }

    private static (IReadOnlyList<RejectedRow> Rows, bool More) ParseRejects(byte[] csv, int maxRows, bool cut)
    {
        var reader = new CsvRecordReader(new MemoryStream(csv, writable: false));
        if (!reader.Read())
        {
            return ([], cut);
        }

        var columns = Enumerable.Range(0, reader.FieldCount).ToDictionary(i => Encoding.UTF8.GetString(reader[i]), i => i, StringComparer.Ordinal);
        string Field(string name) => columns.TryGetValue(name, out var i) && i < reader.FieldCount ? Encoding.UTF8.GetString(reader[i]) : "";
        var rows = new List<RejectedRow>();
        while (reader.Read())
        {
            if (rows.Count == maxRows)
            {
                return (rows, true);
            }

            if (reader.Malformation == CsvMalformation.None && long.TryParse(Field("line"), out var line))
            {
                rows.Add(new RejectedRow(line, Field("column"), Field("value"), Field("reason"), Field("track")));
            }
        }

        return (rows, cut);
    }

    private static long? TotalLength(string? contentRange) =>
        contentRange?.Split('/') is [_, var total] && long.TryParse(total, out var value) ? value : null;

    /// <param name="unlisted">
    /// The key is under a prefix the site may read but not list (datasets/): there S3 answers a missing key with 403, so
    /// 403 means "not there" too.
    /// </param>
    private async Task<byte[]?> ReadBytesAsync(string key, CancellationToken cancellationToken, bool unlisted = false)
    {
        try
        {
            return await ReadAsync(async ct =>
            {
                using var response = await S3.GetObjectAsync(Bucket, key, ct);
                using var buffer = new MemoryStream();
                await response.ResponseStream.CopyToAsync(buffer, ct);
                return buffer.ToArray();
            }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound || (unlisted && e.StatusCode == HttpStatusCode.Forbidden))
        {
            return null;
        }
    }

    private async Task<T> ReadAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await _reads.WaitAsync(cancellationToken);
        try
        {
            return await read(cancellationToken);
        }
        finally
        {
            _reads.Release();
        }
    }

    private async Task<T> CachedAsync<T>(string key, Func<Task<T>> load)
    {
        if (_cache.TryGetValue(key, out T? value))
        {
            return value!;
        }

        value = await load();
        if (_options.CacheSeconds > 0)
        {
            _cache.Set(key, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(_options.CacheSeconds), Size = 1 });
        }

        return value;
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "journey data {Key} cannot be read; it is left out")]
    private partial void LogUnreadable(Exception exception, string key);

    private sealed record Journey(IReadOnlyList<JourneyRecord> Records, PreparationFacts? Preparation)
    {
        public static Journey Empty { get; } = new([], null);
    }
}

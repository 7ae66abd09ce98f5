using System.Text.Json;

namespace ChartBuster.Songs.Journeys;

/// <summary>
/// Writes journey records through the component's own storage call. A record that cannot be written is reported to
/// <paramref name="logFailure"/> and dropped: a journey is the story of the work, never a reason to lose the work.
/// </summary>
/// <param name="put">Stores bytes under a key of the ready bucket (the component's S3 client).</param>
/// <param name="logFailure">Told the key and the error when a write fails.</param>
/// <param name="traceParent">The upload's trace where the record is written (see TraceParents): stamped on each record.</param>
public sealed class JourneyRecorder(Func<string, byte[], CancellationToken, Task> put, Action<string, Exception> logFailure, Func<string?>? traceParent = null)
{
    public Task<bool> WriteAsync(JourneyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.TraceParent is null && traceParent?.Invoke() is { } trace)
        {
            record = record with { TraceParent = trace };
        }

        return TryPutAsync(
            JourneyKeys.Record(record.DatasetId, record.Name),
            JsonSerializer.SerializeToUtf8Bytes(record, JourneyJsonContext.Default.JourneyRecord),
            cancellationToken);
    }

    /// <summary>The dataset's entry in the newest-first index; the same upload always gets the same key and bytes.</summary>
    public Task<bool> WriteIndexAsync(string datasetId, UploadFacts upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return TryPutAsync(
            JourneyKeys.IndexEntry(datasetId, upload.UploadedAt),
            JsonSerializer.SerializeToUtf8Bytes(new JourneyIndexEntry(datasetId, upload.FileName, upload.UploadedAt), JourneyJsonContext.Default.JourneyIndexEntry),
            cancellationToken);
    }

    private async Task<bool> TryPutAsync(string key, byte[] content, CancellationToken cancellationToken)
    {
        try
        {
            await put(key, content, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logFailure(key, e);
            return false;
        }
    }
}

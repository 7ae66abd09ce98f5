using System.Globalization;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using ChartBuster.Preprocess;
using ChartBuster.Preprocess.Runtime;
using ChartBuster.Model.Registry;
using ChartBuster.Songs;
using ChartBuster.Songs.Events;
using ChartBuster.Songs.Journeys;
using ChartBuster.Songs.Pipeline;

namespace ChartBuster.LocalWiring;

/// <summary>
/// Plays S3's part locally, with the filters of the CDK stack: a new .csv / .csv.gz in the raw bucket invokes the
/// preprocess handler in-process with the event JSON S3 sends (retried twice like an asynchronous Lambda
/// invocation); a new datasets/…/ready.csv in the ready bucket sends that JSON to the training queue. It also
/// tells the user what happened at each stage, from the reports and the registry.
/// </summary>
public sealed class NotificationPlayer(
    IAmazonS3 s3,
    IAmazonSQS sqs,
    PreprocessHandler handler,
    LocalResources resources,
    string queueUrl,
    WiringState state,
    TextWriter output,
    TimeProvider time,
    string siteUrl = "http://127.0.0.1:8080")
{
    /// <summary>Lambda's asynchronous invocations: the first try and two retries.</summary>
    public const int MaxAttempts = 3;

    public async Task PlayOnceAsync(CancellationToken cancellationToken)
    {
        await PlayRawAsync(cancellationToken);
        await PlayReadyAsync(cancellationToken);
        await new JourneyReporter(s3, resources, state, siteUrl, Say).ReportAsync(cancellationToken);
        await ReportServingModelAsync(cancellationToken);
    }

    /// <summary>
    /// The local queue lives in the emulator's memory (its SQLite persistence breaks visibility changes of in-flight
    /// messages), so after a restart every ready.csv whose dataset was never trained is announced again; the worker
    /// trains each dataset once whatever it is told.
    /// </summary>
    public async Task ForgetUntrainedAsync(CancellationToken cancellationToken)
    {
        var trained = (await ListAsync(resources.ArtifactsBucket, "trained/", cancellationToken))
            .Select(o => o.Key["trained/".Length..].Replace(".json", "", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        var untrained = state.ReadyQueued.Where(key => key.Split('/') is [_, var datasetId, ..] && !trained.Contains(datasetId)).ToList();
        foreach (var key in untrained)
        {
            state.ReadyQueued.Remove(key);
        }
    }

    private async Task PlayRawAsync(CancellationToken cancellationToken)
    {
        foreach (var item in await ListAsync(resources.RawBucket, "", cancellationToken))
        {
            // Every PUT is an event in S3, even of identical content: the upload time tells a re-upload apart.
            var id = $"{item.Key}\t{item.ETag}\t{item.LastModified?.ToUniversalTime():O}";
            // The notification filter of the CDK stack, which is case-sensitive like S3's (not DatasetFileNames.IsSongFile).
            var isSongFile = item.Key.EndsWith(".csv", StringComparison.Ordinal) || item.Key.EndsWith(".csv.gz", StringComparison.Ordinal);
            if (!isSongFile || state.RawDone.Contains(id))
            {
                continue;
            }

            var attempt = state.RawAttempts.GetValueOrDefault(id) + 1;
            state.RawAttempts[id] = attempt;
            // S3 stamps an event with the time of the upload, the same on every retry of the same event.
            var uploadedAt = item.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime()) : time.GetUtcNow();
            var payload = S3EventJson.ObjectCreated([new S3ObjectCreated(resources.RawBucket, item.Key, item.Size ?? 0, item.ETag)], uploadedAt, configurationId: "raw-song-files");
            try
            {
                var invocation = new LambdaInvocation(Guid.NewGuid().ToString(), time.GetUtcNow().AddMinutes(15), "arn:aws:lambda:local:000000000000:function:preprocess", null, payload);
                var response = JsonSerializer.Deserialize(await handler.HandleAsync(invocation, cancellationToken), FunctionJsonContext.Default.PreprocessResponse)!;
                state.RawDone.Add(id);
                state.RawAttempts.Remove(id);
                foreach (var result in response.Results)
                {
                    await TellPreparedAsync(result, cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Say($"preprocess  {item.Key}: failed (attempt {attempt} of {MaxAttempts}): {e.Message}");
                if (attempt >= MaxAttempts)
                {
                    state.RawDone.Add(id);
                    state.RawAttempts.Remove(id);
                    Say($"preprocess  {item.Key}: given up after {MaxAttempts} attempts (in AWS: the function's failure queue)");
                    Say("event       " + JourneyReporter.PreprocessAlarm(item.Key));
                }
            }
        }
    }

    private async Task TellPreparedAsync(PreprocessResult result, CancellationToken cancellationToken)
    {
        var (key, outcome) = (result.Key, result.Outcome);
        if (result.DatasetId is not { } datasetId)
        {
            Say($"preprocess  {key}: {outcome}");
            return;
        }

        var reportKey = JourneyKeys.PreparedFile(datasetId, DatasetFileNames.Report);
        var report = JsonSerializer.Deserialize(await ReadTextAsync(resources.ReadyBucket, reportKey, cancellationToken), SongJsonContext.Default.CleaningReport)!;
        Say(report.Error is null
            ? $"preprocess  {key}: {outcome}, cleaned {report.RowsKept:N0} rows ({report.RowsRejected:N0} rejected, {report.DuplicatesRemoved:N0} duplicates) → dataset {datasetId}"
            : $"preprocess  {key}: {outcome}: {report.Error} (report: s3://{resources.ReadyBucket}/{reportKey})");
    }

    private async Task PlayReadyAsync(CancellationToken cancellationToken)
    {
        foreach (var item in await ListAsync(resources.ReadyBucket, "datasets/", cancellationToken))
        {
            if (!item.Key.EndsWith("/ready.csv", StringComparison.Ordinal) || state.ReadyQueued.Contains(item.Key))
            {
                continue;
            }

            var payload = S3EventJson.ObjectCreated([new S3ObjectCreated(resources.ReadyBucket, item.Key, item.Size ?? 0, item.ETag)], time.GetUtcNow(), configurationId: "ready-datasets");
            await sqs.SendMessageAsync(queueUrl, System.Text.Encoding.UTF8.GetString(payload), cancellationToken);
            state.ReadyQueued.Add(item.Key);
            Say($"training    {item.Key}: queued, the worker is training");
        }
    }

    private async Task ReportServingModelAsync(CancellationToken cancellationToken)
    {
        GetObjectMetadataResponse head;
        try
        {
            head = await s3.GetObjectMetadataAsync(resources.ArtifactsBucket, StorageLayout.ModelPointer, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return;
        }

        if (head.ETag == state.CurrentModelETag)
        {
            return;
        }

        state.CurrentModelETag = head.ETag;
        var (pointer, _) = await new ModelRegistry(s3, resources.ArtifactsBucket).ReadPointerAsync(cancellationToken);
        if (pointer is null)
        {
            return;
        }

        var auc = pointer.ValidationAuc?.ToString("0.000", CultureInfo.InvariantCulture) ?? "n/a";
        Say($"model       {pointer.ModelVersion} promoted (validation AUC {auc}, dataset {pointer.DatasetId}): the site switches to it");
    }

    private async Task<List<S3Object>> ListAsync(string bucket, string prefix, CancellationToken cancellationToken)
    {
        var all = new List<S3Object>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request, cancellationToken);
            all.AddRange(page.S3Objects ?? []);
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
        return all;
    }

    private async Task<string> ReadTextAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        using var response = await s3.GetObjectAsync(bucket, key, cancellationToken);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private void Say(string line) => output.WriteLine($"{time.GetLocalNow():HH:mm:ss}  {line}");
}

using ChartBuster.Model.Registry;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Amazon.S3;
using Amazon.SQS;
using Amazon.SQS.Model;
using ChartBuster.Model;
using ChartBuster.Songs;
using ChartBuster.Songs.Events;
using ChartBuster.Songs.Journeys;
using ChartBuster.Training.Promotion;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChartBuster.Training.Worker;

public enum MessageOutcome
{
    Trained,
    Duplicate,
    TestEvent,
    NothingToTrain,

    /// <summary>The dataset is too large for this task's memory: refused with the reason in its journey, not retried.</summary>
    Refused,
    Failed,
}

/// <summary>
/// Handles one queue message: the S3 notification for a ready.csv. Test events are deleted; datasets
/// already trained are skipped; otherwise the job trains and registers a model while a heartbeat keeps
/// the message invisible. The message is deleted only after the registry is written. On failure it is
/// logged and released for a retry; after 3 receives SQS moves it to the dead-letter queue. Every step
/// leaves a record in the dataset's journey (<see cref="TrainingJourney"/>).
/// </summary>
public sealed partial class TrainingMessageHandler(
    IAmazonSQS sqs,
    IAmazonS3 s3,
    ModelRegistry registry,
    TrainingJob job,
    TrainingJourney journey,
    QualityGate gate,
    TrainingTelemetry telemetry,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<TrainingMessageHandler> logger)
{
    private readonly WorkerOptions _options = options.Value;

    public async Task<MessageOutcome> HandleAsync(Message message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (IsTestEvent(message.Body))
        {
            await DeleteAsync(message, cancellationToken);
            LogTestEvent(message.MessageId);
            telemetry.Message("test_event");
            return MessageOutcome.TestEvent;
        }

        await using var heartbeat = VisibilityHeartbeat.Start(sqs, _options.QueueUrl, message.ReceiptHandle, _options, time);
        try
        {
            var outcome = await TrainAsync(message, ReceiveCount(message), cancellationToken);
            await heartbeat.DisposeAsync();
            await DeleteAsync(message, cancellationToken);
            telemetry.Message("done");
            return outcome;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await heartbeat.DisposeAsync();
            LogFailed(e, message.MessageId, Attribute(message, "ApproximateReceiveCount"));
            telemetry.Message(ReceiveCount(message) >= _options.MaxReceiveCount ? "dead_lettered" : "retried");
            await sqs.ChangeMessageVisibilityAsync(new ChangeMessageVisibilityRequest
            {
                QueueUrl = _options.QueueUrl,
                ReceiptHandle = message.ReceiptHandle,
                VisibilityTimeout = _options.RetryDelaySeconds,
            }, cancellationToken);
            return MessageOutcome.Failed;
        }
    }

    private async Task<MessageOutcome> TrainAsync(Message message, int attempt, CancellationToken cancellationToken)
    {
        var notification = JsonSerializer.Deserialize(message.Body, S3EventJsonContext.Default.S3EventNotification)
            ?? throw new InvalidDataException("The message is not an S3 event notification.");
        var outcome = MessageOutcome.NothingToTrain;
        foreach (var record in notification.Records ?? [])
        {
            var key = WebUtility.UrlDecode(record.S3.Item.Key);
            if (JourneyKeys.DatasetIdOfReadyFile(key) is not { } datasetId)
            {
                LogIgnored(key);
                continue;
            }

            if (await registry.WasTrainedAsync(datasetId, cancellationToken))
            {
                LogDuplicate(datasetId);
                await journey.SkippedAsync(datasetId, cancellationToken);
                telemetry.Dataset("already_trained");
                outcome = outcome == MessageOutcome.Trained ? outcome : MessageOutcome.Duplicate;
                continue;
            }

            var trained = await TrainDatasetAsync(record.S3.Bucket.Name, key, datasetId, attempt, cancellationToken);
            outcome = trained || outcome == MessageOutcome.Trained ? MessageOutcome.Trained : MessageOutcome.Refused;
        }

        return outcome;
    }

    /// <summary>
    /// Trains one dataset inside an activity that continues the upload's trace (the traceparent the function wrote into
    /// the dataset's journey): the worker's journey records and the model card carry the same trace id.
    /// </summary>
    /// <returns>False when the dataset was refused as too large for this task (recorded in its journey).</returns>
    private async Task<bool> TrainDatasetAsync(string bucket, string key, string datasetId, int attempt, CancellationToken cancellationToken)
    {
        var upload = await journey.TraceParentAsync(datasetId, cancellationToken);
        using var activity = TrainingTelemetry.Source.StartActivity(
            "train dataset", ActivityKind.Consumer, ActivityContext.TryParse(upload, null, out var parent) ? parent : default);
        activity?.SetTag("chartbuster.dataset_id", datasetId).SetTag("messaging.receive_count", attempt);
        if (upload is null)
        {
            LogNewTrace(datasetId);
        }

        // The function's report counts the rows before ready.csv is downloaded: a dataset this task cannot hold is refused
        // before it fills the memory (the task would be killed on every attempt, then the message dead-lettered).
        var limit = _options.MaxTrainingRows;
        if (await PreparedRowsAsync(bucket, datasetId, cancellationToken) is { } announced && announced > limit)
        {
            await RefuseAsync(datasetId, TooLarge($"{announced:N0} rows"), cancellationToken);
            return false;
        }

        await journey.StartedAsync(datasetId, attempt, cancellationToken);
        try
        {
            IReadOnlyList<TrainingRow> rows;
            var loading = Stopwatch.StartNew();
            using (telemetry.Time(TrainingTelemetry.Stages.Download))
            using (var response = await s3.GetObjectAsync(bucket, key, cancellationToken))
            {
                try
                {
                    // Without a report (or with one that undercounts), reading stops at the limit.
                    rows = ReadyDataset.Load(response.ResponseStream, key, limit);
                }
                catch (DatasetTooLargeException)
                {
                    await RefuseAsync(datasetId, TooLarge($"more than {limit:N0} rows"), cancellationToken);
                    return false;
                }
            }

            var result = await job.RunAsync(datasetId, rows, loading.Elapsed.TotalSeconds, cancellationToken);
            activity?.SetTag("chartbuster.model_version", result.ModelVersion);
            await journey.OutcomeAsync(datasetId, result, gate.Options, cancellationToken);
            telemetry.Dataset(result.Promoted ? "promoted" : "gate_rejected");
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            telemetry.Dataset("failed");
            await journey.FailedAsync(datasetId, attempt, e, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Rows kept by the function, from the dataset's report.json beside ready.csv; null when it cannot be read.</summary>
    private async Task<long?> PreparedRowsAsync(string bucket, string datasetId, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(bucket, JourneyKeys.PreparedFile(datasetId, DatasetFileNames.Report), cancellationToken);
            return (await JsonSerializer.DeserializeAsync(response.ResponseStream, SongJsonContext.Default.CleaningReport, cancellationToken))?.RowsKept;
        }
        catch (Exception e) when (e is AmazonS3Exception or JsonException)
        {
            LogNoReport(datasetId, e.Message);
            return null;
        }
    }

    private string TooLarge(string rows) => string.Create(
        CultureInfo.InvariantCulture,
        $"the dataset has {rows}, more than the {_options.MaxTrainingRows:N0} a training task with {_options.TaskMemoryMiB:N0} MiB of memory can hold " +
        $"(about {_options.TrainingBytesPerRow:N0} bytes a row); split it into smaller files, or give the task more memory (and Worker__TaskMemoryMiB with it)");

    private async Task RefuseAsync(string datasetId, string reason, CancellationToken cancellationToken)
    {
        LogRefused(datasetId, reason);
        telemetry.Dataset("refused_too_large");
        await journey.RefusedAsync(datasetId, reason, cancellationToken);
    }

    /// <summary>The event S3 sends once when the notification is configured; a body that is not JSON is not one (it fails below).</summary>
    private static bool IsTestEvent(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, S3EventJsonContext.Default.S3EventNotification)?.IsTestEvent == true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>SQS's ApproximateReceiveCount: 1 on the first delivery (also when the attribute was not asked for).</summary>
    private static int ReceiveCount(Message message) =>
        int.TryParse(Attribute(message, "ApproximateReceiveCount"), System.Globalization.CultureInfo.InvariantCulture, out var count) && count > 0 ? count : 1;

    private async Task DeleteAsync(Message message, CancellationToken cancellationToken) =>
        await sqs.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = _options.QueueUrl, ReceiptHandle = message.ReceiptHandle }, cancellationToken);

    private static string Attribute(Message message, string name) =>
        message.Attributes is { } attributes && attributes.TryGetValue(name, out var value) ? value : "?";

    [LoggerMessage(Level = LogLevel.Warning, Message = "dataset {DatasetId} has no trace from its upload (no prepared record with one): training starts a new trace")]
    private partial void LogNewTrace(string datasetId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "dataset {DatasetId} refused: {Reason}")]
    private partial void LogRefused(string datasetId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "dataset {DatasetId}: no readable report.json ({Problem}); its rows are counted while reading")]
    private partial void LogNoReport(string datasetId, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "deleted S3 test event {MessageId}")]
    private partial void LogTestEvent(string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "ignored {Key}: not datasets/{{id}}/ready.csv")]
    private partial void LogIgnored(string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "dataset {DatasetId} was already trained: nothing to do")]
    private partial void LogDuplicate(string datasetId);

    [LoggerMessage(Level = LogLevel.Error, Message = "message {MessageId} failed (receive {ReceiveCount}); released for a retry, the serving model is unchanged")]
    private partial void LogFailed(Exception exception, string messageId, string receiveCount);
}

using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ChartBuster.Songs.Journeys;
using ChartBuster.Training.Promotion;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChartBuster.Training.Worker;

/// <summary>
/// The worker's stages of a dataset's journey, written to the ready bucket beside the dataset: each attempt started and
/// failed (in plain words), dead-lettered when the last attempt fails, the model promoted or rejected by the gate, a
/// repeated request skipped. A record that cannot be written is logged; training goes on regardless.
/// </summary>
public sealed partial class TrainingJourney(IAmazonS3 s3, IOptions<WorkerOptions> options, TimeProvider time, ILogger<TrainingJourney> logger)
{
    /// <summary>What a failed attempt left behind when the worker never got to record it (SIGKILL, out of memory, lost task).</summary>
    public const string SilentEnd = "the worker stopped during this attempt without reporting (stopped or killed, for example out of memory)";

    private readonly WorkerOptions _options = options.Value;
    private JourneyRecorder? _recorder;

    private JourneyRecorder Recorder => _recorder ??= new JourneyRecorder(PutAsync, LogNotWritten, () => Activity.Current?.Id);

    /// <summary>
    /// The upload's trace as the function wrote it into the dataset's "received" record (written before ready.csv exists,
    /// so it is there when this message is; "prepared" is written after ready.csv and may not be yet), else "prepared".
    /// Null when neither has one (a dataset prepared before records carried it, or records that cannot be read): the
    /// training then starts its own trace.
    /// </summary>
    public async Task<string?> TraceParentAsync(string datasetId, CancellationToken cancellationToken) =>
        await TraceParentOfAsync(datasetId, JourneyStages.Received, cancellationToken) ?? await TraceParentOfAsync(datasetId, JourneyStages.Prepared, cancellationToken);

    private async Task<string?> TraceParentOfAsync(string datasetId, string record, CancellationToken cancellationToken)
    {
        var key = JourneyKeys.Record(datasetId, record);
        try
        {
            using var response = await s3.GetObjectAsync(_options.ReadyBucket, key, cancellationToken);
            return (await JsonSerializer.DeserializeAsync(response.ResponseStream, JourneyJsonContext.Default.JourneyRecord, cancellationToken))?.TraceParent;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception e) when (e is AmazonServiceException or JsonException)
        {
            LogNotWritten(key, e);
            return null;
        }
    }

    /// <summary>
    /// A new attempt. When it is not the first and the previous attempt left no failure record, the previous worker died
    /// mid-training: that is recorded first, so the timeline never shows an attempt that simply vanished.
    /// </summary>
    public async Task StartedAsync(string datasetId, int attempt, CancellationToken cancellationToken)
    {
        var previous = JourneyKeys.Record(datasetId, JourneyKeys.PerAttempt(JourneyStages.TrainingFailed, attempt - 1));
        if (attempt > 1 && !await ExistsAsync(previous, cancellationToken))
        {
            await Recorder.WriteAsync(JourneyRecords.TrainingFailed(datasetId, attempt - 1, _options.MaxReceiveCount, SilentEnd, "no failure record", time.GetUtcNow()), cancellationToken);
        }

        await Recorder.WriteAsync(JourneyRecords.TrainingStarted(datasetId, attempt, _options.MaxReceiveCount, time.GetUtcNow()), cancellationToken);
    }

    /// <summary>
    /// A failed attempt. SQS dead-letters a message when it would be received more than maxReceiveCount times, so the
    /// attempt whose ApproximateReceiveCount reaches it is the last: its failure is also the dataset's dead letter.
    /// </summary>
    public async Task FailedAsync(string datasetId, int attempt, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var words = PlainWords(exception);
        await Recorder.WriteAsync(JourneyRecords.TrainingFailed(datasetId, attempt, _options.MaxReceiveCount, words, JourneyErrors.Detail(exception), time.GetUtcNow()), cancellationToken);
        if (attempt >= _options.MaxReceiveCount)
        {
            await Recorder.WriteAsync(JourneyRecords.DeadLettered(datasetId, attempt, words, time.GetUtcNow()), cancellationToken);
        }
    }

    /// <summary>The dataset will not be trained, and why (final: the message is not retried).</summary>
    public Task RefusedAsync(string datasetId, string reason, CancellationToken cancellationToken) =>
        Recorder.WriteAsync(JourneyRecords.TrainingRefused(datasetId, reason, time.GetUtcNow()), cancellationToken);

    public Task OutcomeAsync(string datasetId, TrainingOutcome outcome, GateOptions gate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(gate);
        var validation = outcome.Validation;
        var metrics = validation is null
            ? new Dictionary<string, double>()
            : new Dictionary<string, double>
            {
                ["auc"] = validation.Auc,
                ["prAuc"] = validation.PrAuc,
                ["accuracy"] = validation.Accuracy,
                ["f1"] = validation.F1,
                ["logLoss"] = validation.LogLoss,
                ["brier"] = validation.Brier,
            };
        var facts = new ModelOutcomeFacts(
            outcome.ModelVersion, outcome.Promoted, outcome.ValidationAuc, outcome.CurrentVersion, outcome.CurrentAuc, outcome.Reason,
            outcome.FailedRule, gate.MinimumAuc, gate.Tolerance, outcome.Rows?.Training ?? 0, outcome.Rows?.Validation ?? 0, metrics);
        return Recorder.WriteAsync(JourneyRecords.ModelOutcome(datasetId, facts, time.GetUtcNow()), cancellationToken);
    }

    public Task SkippedAsync(string datasetId, CancellationToken cancellationToken) =>
        Recorder.WriteAsync(JourneyRecords.AlreadyTrained(datasetId, time.GetUtcNow()), cancellationToken);

    /// <summary>What went wrong, in words an uploader can act on.</summary>
    public static string PlainWords(Exception exception) => exception switch
    {
        AmazonS3Exception { StatusCode: HttpStatusCode.NotFound } => "the prepared file is gone (deleted or expired before training)",
        AmazonServiceException service => $"AWS refused a request: {service.Message}",
        JsonException => "the queue message is not an S3 event notification",
        _ => JourneyErrors.PlainWords(exception),
    };

    private async Task PutAsync(string key, byte[] content, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(content, writable: false);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = _options.ReadyBucket, Key = key, InputStream = body, ContentType = "application/json" }, cancellationToken);
    }

    private async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await s3.GetObjectMetadataAsync(_options.ReadyBucket, key, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (AmazonServiceException e)
        {
            // Unknown is not "missing": claiming a silent death on a read error would tell a false story.
            LogNotWritten(key, e);
            return true;
        }
    }

    private void LogNotWritten(string key, Exception exception) => LogRecordNotWritten(exception, key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "journey record {Key} not written (or checked); training goes on")]
    private partial void LogRecordNotWritten(Exception exception, string key);
}

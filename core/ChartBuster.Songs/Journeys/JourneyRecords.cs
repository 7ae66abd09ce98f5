using System.Globalization;

namespace ChartBuster.Songs.Journeys;

/// <summary>The record of each stage, with its name and its sentence: every component writes through these.</summary>
public static class JourneyRecords
{
    public static JourneyRecord Received(string datasetId, UploadFacts upload, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return new JourneyRecord
        {
            DatasetId = datasetId,
            Stage = JourneyStages.Received,
            Name = JourneyStages.Received,
            At = at,
            Summary = upload.Size is { } size ? F($"{upload.FileName} received ({size:N0} bytes)") : $"{upload.FileName} received",
            Upload = upload,
        };
    }

    /// <summary>"prepared" when ready.csv was written, "refused" when report.json says why not.</summary>
    public static JourneyRecord Prepared(string datasetId, CleaningReport report, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(report);
        var stage = report.IsReady ? JourneyStages.Prepared : JourneyStages.Refused;
        return new JourneyRecord
        {
            DatasetId = datasetId,
            Stage = stage,
            Name = stage,
            At = at,
            Summary = report.IsReady
                ? F($"prepared: {report.RowsKept:N0} of {report.RowsRead:N0} rows kept ({report.RowsRejected:N0} rejected, {report.DuplicatesRemoved + report.ConflictingTargetRowsRemoved:N0} duplicates); queued for training")
                : $"refused: {report.Error}",
            Preparation = PreparationFacts.From(report),
        };
    }

    public static JourneyRecord PreprocessFailed(string datasetId, string error, string detail, DateTimeOffset at) => new()
    {
        DatasetId = datasetId,
        Stage = JourneyStages.PreprocessFailed,
        Name = JourneyKeys.Stamped(JourneyStages.PreprocessFailed, at),
        At = at,
        Summary = $"preparing the file failed: {error}; Lambda retries it twice, then keeps the event in its failure queue",
        Error = error,
        ErrorDetail = detail,
    };

    public static JourneyRecord TrainingStarted(string datasetId, int attempt, int maxAttempts, DateTimeOffset at) => new()
    {
        DatasetId = datasetId,
        Stage = JourneyStages.TrainingStarted,
        Name = JourneyKeys.PerAttempt(JourneyStages.TrainingStarted, attempt),
        At = at,
        Summary = F($"training started (attempt {attempt} of {maxAttempts})"),
        Attempt = attempt,
        MaxAttempts = maxAttempts,
    };

    public static JourneyRecord TrainingFailed(string datasetId, int attempt, int maxAttempts, string error, string detail, DateTimeOffset at) => new()
    {
        DatasetId = datasetId,
        Stage = JourneyStages.TrainingFailed,
        Name = JourneyKeys.PerAttempt(JourneyStages.TrainingFailed, attempt),
        At = at,
        Summary = F($"training attempt {attempt} of {maxAttempts} failed: {error}"),
        Attempt = attempt,
        MaxAttempts = maxAttempts,
        Error = error,
        ErrorDetail = detail,
    };

    /// <summary>The worker will not train the dataset (too large for its memory): final, not retried.</summary>
    public static JourneyRecord TrainingRefused(string datasetId, string reason, DateTimeOffset at) => new()
    {
        DatasetId = datasetId,
        Stage = JourneyStages.TrainingRefused,
        Name = JourneyStages.TrainingRefused,
        At = at,
        Summary = $"not trained: {reason}; the serving model is unchanged",
        Error = reason,
    };

    /// <summary>The last allowed attempt failed: SQS moves the message to the dead-letter queue instead of retrying.</summary>
    public static JourneyRecord DeadLettered(string datasetId, int attempts, string error, DateTimeOffset at) => new()
    {
        DatasetId = datasetId,
        Stage = JourneyStages.DeadLettered,
        Name = JourneyStages.DeadLettered,
        At = at,
        Summary = F($"dead-lettered: all {attempts} training attempts failed (last: {error}); the serving model is unchanged"),
        Attempt = attempts,
        MaxAttempts = attempts,
        Error = error,
    };

    public static JourneyRecord ModelOutcome(string datasetId, ModelOutcomeFacts model, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(model);
        var stage = model.Promoted ? JourneyStages.Promoted : JourneyStages.GateRejected;
        return new JourneyRecord
        {
            DatasetId = datasetId,
            Stage = stage,
            Name = stage,
            At = at,
            Summary = model.Promoted
                ? $"model {model.ModelVersion} promoted: {model.Reason}"
                : $"model {model.ModelVersion} rejected by the quality gate: {model.Reason}; the serving model stays",
            Model = model,
        };
    }

    public static JourneyRecord AlreadyTrained(string datasetId, DateTimeOffset at) => new()
    {
        DatasetId = datasetId,
        Stage = JourneyStages.AlreadyTrained,
        Name = JourneyKeys.Stamped(JourneyStages.AlreadyTrained, at),
        At = at,
        Summary = "a repeated training request was skipped: this dataset was already trained",
    };

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

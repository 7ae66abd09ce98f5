using System.Text.Json.Serialization;

namespace ChartBuster.Songs.Journeys;

/// <summary>The stages of a dataset's journey; a record's name starts with its stage.</summary>
public static class JourneyStages
{
    public const string Received = "received";
    public const string Prepared = "prepared";
    public const string Refused = "refused";
    public const string PreprocessFailed = "preprocess-failed";
    public const string TrainingStarted = "training-started";
    public const string TrainingFailed = "training-failed";
    public const string TrainingRefused = "training-refused";
    public const string DeadLettered = "dead-lettered";
    public const string Promoted = "promoted";
    public const string GateRejected = "gate-rejected";
    public const string AlreadyTrained = "already-trained";
}

/// <summary>
/// One stage of one dataset's journey, written once by the component that lived it and never modified:
/// journeys/datasets/{datasetId}/{Name}.json. <see cref="Summary"/> tells it in a sentence; the sections hold the facts.
/// </summary>
public sealed record JourneyRecord
{
    public required string DatasetId { get; init; }

    /// <summary>One of <see cref="JourneyStages"/>.</summary>
    public required string Stage { get; init; }

    /// <summary>The record's name in its key (the stage, with an attempt number or a stamp for repeatable stages).</summary>
    public required string Name { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>What happened, in one sentence a user can act on.</summary>
    public required string Summary { get; init; }

    /// <summary>The SQS receive count of a training attempt, and how many receives the queue allows.</summary>
    public int? Attempt { get; init; }

    public int? MaxAttempts { get; init; }

    public UploadFacts? Upload { get; init; }

    public PreparationFacts? Preparation { get; init; }

    /// <summary>Why a stage failed, in plain words ("only one class in the file", "out of memory").</summary>
    public string? Error { get; init; }

    /// <summary>The technical detail behind <see cref="Error"/> (exception type and message), for the operator.</summary>
    public string? ErrorDetail { get; init; }

    public ModelOutcomeFacts? Model { get; init; }

    /// <summary>The upload's trace (W3C traceparent) as the component that wrote the record saw it: see TraceParents.</summary>
    public string? TraceParent { get; init; }
}

/// <summary>The raw object a dataset comes from.</summary>
public sealed record UploadFacts(string Bucket, string Key, string FileName, long? Size, string ETag, DateTimeOffset UploadedAt);

/// <summary>report.json's counts and reasons, as a record carries them.</summary>
public sealed record PreparationFacts(
    string Status,
    string? Error,
    long RowsRead,
    long RowsKept,
    long RowsRejected,
    long DuplicatesRemoved,
    long ConflictingTargetRowsRemoved,
    IReadOnlyDictionary<string, long> RejectedByReason,
    double RejectedShare,
    double MaxRejectedShare,
    IReadOnlyList<string> MissingColumns,
    IReadOnlyList<string> ExtraColumns)
{
    public static PreparationFacts From(CleaningReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new PreparationFacts(
            report.Status, report.Error, report.RowsRead, report.RowsKept, report.RowsRejected, report.DuplicatesRemoved,
            report.ConflictingTargetRowsRemoved, report.RejectedByReason, report.RejectedShare, report.MaxRejectedShare,
            report.MissingColumns, report.ExtraColumns);
    }
}

/// <summary>
/// The fate of a trained model: its validation AUC, the serving model's AUC on the same validation songs, and the
/// quality gate's verdict (the rule that failed, when it failed).
/// </summary>
public sealed record ModelOutcomeFacts(
    string ModelVersion,
    bool Promoted,
    double ValidationAuc,
    string? ServingVersion,
    double? ServingAucOnSameSongs,
    string Reason,
    string? FailedRule,
    double MinimumAuc,
    double Tolerance,
    int TrainingRows,
    int ValidationRows,
    IReadOnlyDictionary<string, double> Metrics);

/// <summary>The index entry of a dataset (journeys/index/…): enough to list it without reading its records.</summary>
public sealed record JourneyIndexEntry(string DatasetId, string FileName, DateTimeOffset UploadedAt);

/// <summary>Source-generated JSON for journey records (no reflection: AOT-safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(JourneyRecord))]
[JsonSerializable(typeof(JourneyIndexEntry))]
public sealed partial class JourneyJsonContext : JsonSerializerContext;

using ChartBuster.Songs.Journeys;

namespace ChartBuster.Web.Datasets;

/// <summary>Where a dataset is in its journey: a code for the API, words for people, and a tone the page colours.</summary>
public sealed record DatasetState(string Code, string Words, string Tone)
{
    public static DatasetState Received { get; } = new("received", "received, being prepared", "busy");

    public static DatasetState Refused { get; } = new("refused", "refused", "bad");

    public static DatasetState PreparationFailed { get; } = new("preparation-failed", "preparation failed", "bad");

    public static DatasetState Queued { get; } = new("queued", "prepared, waiting for training", "busy");

    public static DatasetState DeadLettered { get; } = new("dead-lettered", "failed, dead-lettered", "bad");

    public static DatasetState TooLargeToTrain { get; } = new("training-refused", "too large to train", "bad");

    public static DatasetState Promoted { get; } = new("promoted", "promoted", "good");

    public static DatasetState GateRejected { get; } = new("gate-rejected", "rejected by the quality gate", "warn");

    public static DatasetState AlreadyTrained { get; } = new("already-trained", "already trained", "idle");

    public static DatasetState Training(int attempt, int maxAttempts) => new("training", $"training (attempt {attempt} of {maxAttempts})", "busy");

    public static DatasetState Retrying(int attempt, int maxAttempts) => new("retrying", $"attempt {attempt} of {maxAttempts} failed, retrying", "warn");

    /// <summary>
    /// The state after the last record in journey order. Records come from different machines, so the order is by stage
    /// first (an upload is received, then prepared, then trained attempt by attempt, then judged) and by time within a
    /// stage; a clock that runs a little ahead cannot make a dataset look earlier in its journey than it is.
    /// </summary>
    public static DatasetState Of(IReadOnlyList<JourneyRecord> ordered)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        var last = ordered.LastOrDefault(r => r.Stage != JourneyStages.AlreadyTrained);
        if (last is null)
        {
            return ordered.Count > 0 ? AlreadyTrained : Received;
        }

        // Trained before its journey was recorded: the only later word is the skipped repeat.
        if (last.Stage == JourneyStages.Prepared && ordered[^1].Stage == JourneyStages.AlreadyTrained)
        {
            return AlreadyTrained;
        }

        var attempt = last.Attempt ?? 1;
        var max = last.MaxAttempts ?? attempt;
        return last.Stage switch
        {
            JourneyStages.Received => Received,
            JourneyStages.Prepared => Queued,
            JourneyStages.Refused => Refused,
            JourneyStages.PreprocessFailed => PreparationFailed,
            JourneyStages.TrainingStarted => Training(attempt, max),
            JourneyStages.TrainingFailed => attempt >= max ? DeadLettered : Retrying(attempt, max),
            JourneyStages.DeadLettered => DeadLettered,
            JourneyStages.TrainingRefused => TooLargeToTrain,
            JourneyStages.Promoted => Promoted,
            JourneyStages.GateRejected => GateRejected,
            _ => Received,
        };
    }

    /// <summary>Journey order: stage, then attempt, then started before failed, then time.</summary>
    public static IReadOnlyList<JourneyRecord> InJourneyOrder(IEnumerable<JourneyRecord> records) =>
        [.. records.OrderBy(r => Phase(r.Stage)).ThenBy(r => r.Attempt ?? 0).ThenBy(r => r.Stage == JourneyStages.TrainingFailed ? 1 : 0).ThenBy(r => r.At)];

    /// <summary>The tone of one timeline entry.</summary>
    public static string ToneOf(JourneyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Stage switch
        {
            JourneyStages.Refused or JourneyStages.PreprocessFailed or JourneyStages.DeadLettered or JourneyStages.TrainingRefused => "bad",
            JourneyStages.TrainingFailed or JourneyStages.GateRejected => "warn",
            JourneyStages.Promoted => "good",
            JourneyStages.AlreadyTrained => "idle",
            _ => "busy",
        };
    }

    private static int Phase(string stage) => stage switch
    {
        JourneyStages.Received => 0,
        JourneyStages.Prepared or JourneyStages.Refused or JourneyStages.PreprocessFailed => 1,
        JourneyStages.TrainingStarted or JourneyStages.TrainingFailed => 2,
        JourneyStages.DeadLettered or JourneyStages.TrainingRefused => 3,
        JourneyStages.Promoted or JourneyStages.GateRejected => 4,
        _ => 5,
    };
}

using ChartBuster.Songs.Journeys;

namespace ChartBuster.Web.Datasets;

/// <summary>Rows of a dataset: read, kept, rejected for a bad value, dropped as a duplicate.</summary>
public sealed record RowCountsView(long Read, long Kept, long Rejected, long Duplicates);

/// <summary>
/// The model a dataset produced: its validation AUC beside the AUC of the model that was serving, measured on the same
/// validation songs, and the quality gate's verdict (its reason, the rule that failed, the gate's settings).
/// </summary>
public sealed record ModelView(
    string Version,
    bool Promoted,
    double? Auc,
    string? ServingVersionThen,
    double? ServingAucOnSameSongs,
    bool ServesNow,
    string Reason,
    string? FailedRule,
    double MinimumAuc,
    double Tolerance,
    int TrainingRows,
    int ValidationRows,
    IReadOnlyDictionary<string, double> Metrics);

/// <summary>One line of the datasets list.</summary>
public sealed record DatasetSummary(
    string DatasetId,
    string FileName,
    DateTimeOffset? UploadedAt,
    DatasetState State,
    RowCountsView? Rows,
    ModelView? Model);

public sealed record TimelineEntry(DateTimeOffset At, string Stage, string Text, string Tone, string? Error);

/// <summary>A row from the head of rejects.csv.</summary>
public sealed record RejectedRow(long Line, string Column, string Value, string Reason, string Track);

/// <summary>Everything the dataset page shows.</summary>
/// <param name="TraceId">The trace id that follows the upload through the function and the worker to its model (logs, model card).</param>
public sealed record DatasetDetail(
    DatasetSummary Summary,
    UploadFacts? Upload,
    PreparationFacts? Preparation,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<RejectedRow> FirstRejects,
    bool MoreRejects,
    string? TraceId = null);

/// <summary>A page of datasets, newest first, and the cursor of the next (older) page.</summary>
public sealed record DatasetPage(IReadOnlyList<DatasetSummary> Datasets, string? Next);

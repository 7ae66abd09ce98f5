using ChartBuster.Songs;
using ChartBuster.Songs.Telemetry;

namespace ChartBuster.Preprocess;

/// <summary>
/// The function's metrics, as CloudWatch embedded-metric-format lines in its log (no OpenTelemetry SDK here: the
/// Native AOT binary stays small and reflection-free, and Lambda's log stream turns these lines into metrics). Per
/// dataset: one line under its outcome (datasets, duration, rows read, kept and rejected) and one per reject reason.
/// </summary>
public sealed class PreprocessMetrics(JsonLog log, TimeProvider time)
{
    public const string Datasets = MetricNames.Preprocess.Datasets;
    public const string Duration = MetricNames.Preprocess.Duration;
    public const string RowsRead = MetricNames.Preprocess.RowsRead;
    public const string RowsKept = MetricNames.Preprocess.RowsKept;
    public const string RowsRejected = MetricNames.Preprocess.RowsRejected;

    /// <summary>A dataset prepared or refused (<see cref="Outcomes.Prepared"/>, <see cref="Outcomes.FileRefused"/>).</summary>
    public void Prepared(string outcome, CleaningReport report, string datasetId, string? traceParent)
    {
        ArgumentNullException.ThrowIfNull(report);
        var context = Context(datasetId, traceParent);
        log.WriteLine(EmbeddedMetrics.Line(EmbeddedMetrics.Services.Preprocess, time.GetUtcNow(), [KeyValuePair.Create("outcome", outcome)],
        [
            new EmfMetric(Datasets, "Count", 1),
            new EmfMetric(Duration, "Milliseconds", report.ElapsedMilliseconds),
            new EmfMetric(RowsRead, "Count", report.RowsRead),
            new EmfMetric(RowsKept, "Count", report.RowsKept),
            new EmfMetric(RowsRejected, "Count", report.RowsRejected),
        ], context));
        foreach (var (reason, rows) in report.RejectedByReason)
        {
            log.WriteLine(EmbeddedMetrics.Line(EmbeddedMetrics.Services.Preprocess, time.GetUtcNow(), [KeyValuePair.Create("reason", reason)],
                [new EmfMetric(RowsRejected, "Count", rows)], context));
        }
    }

    /// <summary>A dataset whose preparation failed (Lambda retries it) or was superseded by a newer upload.</summary>
    public void Ended(string outcome, TimeSpan elapsed, string datasetId, string? traceParent) =>
        log.WriteLine(EmbeddedMetrics.Line(EmbeddedMetrics.Services.Preprocess, time.GetUtcNow(), [KeyValuePair.Create("outcome", outcome)],
            [new EmfMetric(Datasets, "Count", 1), new EmfMetric(Duration, "Milliseconds", Math.Round(elapsed.TotalMilliseconds, 1))],
            Context(datasetId, traceParent)));

    private static List<KeyValuePair<string, string>> Context(string datasetId, string? traceParent)
    {
        var context = new List<KeyValuePair<string, string>> { KeyValuePair.Create("datasetId", datasetId) };
        if (TraceParents.TraceIdOf(traceParent) is { } traceId)
        {
            context.Add(KeyValuePair.Create("traceId", traceId));
        }

        return context;
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using ChartBuster.Model;
using ChartBuster.Songs.Telemetry;
using ChartBuster.Training.Promotion;

namespace ChartBuster.Training.Worker;

/// <summary>
/// The worker's instruments (meter and activity source <see cref="Name"/>): datasets trained by outcome, the duration of
/// each training stage (per candidate where there are several), the quality gate's decisions with their reason, and the
/// queue messages that were retried or dead-lettered. One activity per dataset continues the upload's trace.
/// </summary>
public sealed class TrainingTelemetry
{
    public const string Name = MetricNames.Training.Meter;

    public const string Datasets = MetricNames.Training.Datasets;
    public const string StageDuration = MetricNames.Training.StageDuration;
    public const string GateDecisions = MetricNames.Training.GateDecisions;
    public const string Messages = MetricNames.Training.Messages;

    /// <summary>The stages of one training, in order (the stage tag's values).</summary>
    public static class Stages
    {
        public const string Download = "download";
        public const string CrossValidation = "cross_validation";
        public const string FinalFit = "final_fit";
        public const string Evaluation = "evaluation";
        public const string Compare = "compare_with_serving";
        public const string Register = "register";
    }

    public static readonly ActivitySource Source = new(Name);

    private static readonly IReadOnlyList<double> s_stageBuckets = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 3600];

    private readonly Counter<long> _datasets;
    private readonly Histogram<double> _stages;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _messages;

    public TrainingTelemetry(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(Name);
        _datasets = meter.CreateCounter<long>(Datasets, "{dataset}", "Datasets the worker finished: outcome promoted, gate_rejected, already_trained or failed (one attempt)");
        _stages = meter.CreateHistogram(StageDuration, "s", "Time of each training stage (stage), per model candidate (candidate, \"-\" when the stage is not a candidate's)",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_stageBuckets });
        _decisions = meter.CreateCounter<long>(GateDecisions, "{model}", "The quality gate's decisions: decision promoted or refused, reason a fixed code");
        _messages = meter.CreateCounter<long>(Messages, "{message}", "Queue messages handled: outcome done, test_event, retried (released for another receive) or dead_lettered (the last receive failed)");
    }

    public void Dataset(string outcome) => _datasets.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Stage(string stage, string? candidate, double seconds) =>
        _stages.Record(seconds, new KeyValuePair<string, object?>("stage", stage), new KeyValuePair<string, object?>("candidate", candidate ?? "-"));

    /// <summary>The trainer's own timings: cross-validation of each candidate, then the chosen one's final fit and evaluation.</summary>
    public void Trained(TrainedModel trained)
    {
        ArgumentNullException.ThrowIfNull(trained);
        foreach (var candidate in trained.Candidates)
        {
            Stage(Stages.CrossValidation, candidate.Name, candidate.Seconds);
        }

        foreach (var (timing, stage) in new[] { ("finalFit", Stages.FinalFit), ("evaluation", Stages.Evaluation) })
        {
            if (trained.TimingsSeconds.TryGetValue(timing, out var seconds))
            {
                Stage(stage, trained.Candidate.Name, seconds);
            }
        }
    }

    public void Decided(GateDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        _decisions.Add(1, new KeyValuePair<string, object?>("decision", decision.Promote ? "promoted" : "refused"), new KeyValuePair<string, object?>("reason", decision.Code));
    }

    public void Message(string outcome) => _messages.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Times a stage of the worker's own (the activity and the histogram) until disposed.</summary>
    public StageTimer Time(string stage) => new(this, stage, Source.StartActivity(stage), Stopwatch.GetTimestamp());

    public readonly struct StageTimer(TrainingTelemetry telemetry, string stage, Activity? activity, long startedAt) : IDisposable
    {
        public void Dispose()
        {
            telemetry.Stage(stage, null, Stopwatch.GetElapsedTime(startedAt).TotalSeconds);
            activity?.Dispose();
        }
    }
}

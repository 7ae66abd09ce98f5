using System.Diagnostics;
using System.Diagnostics.Metrics;
using ChartBuster.Songs.Telemetry;
using ChartBuster.Model.Serving;

namespace ChartBuster.Web.Telemetry;

/// <summary>Which way a prediction was asked for: the tag that splits the counts and the latencies.</summary>
public static class PredictionKinds
{
    /// <summary>POST /api/predictions with one song (a JSON object).</summary>
    public const string ApiSingle = "api_single";

    /// <summary>POST /api/predictions with an array of songs.</summary>
    public const string ApiArray = "api_array";

    /// <summary>An API request refused before its shape was known (not JSON, too large, wrong content type).</summary>
    public const string Api = "api";

    /// <summary>The prediction form (home page).</summary>
    public const string Form = "form";

    /// <summary>A CSV scored on the batch page.</summary>
    public const string BatchPage = "batch_page";
}

/// <summary>
/// The web app's own instruments (meter <see cref="MeterName"/>): songs predicted by outcome, prediction latency, model
/// loads and refusals, and the serving model's version. Recording is a counter add or a histogram record with tags
/// passed as stack-held pairs: no allocation on the prediction path.
/// </summary>
public sealed class PredictionMetrics
{
    public const string MeterName = MetricNames.Web.Meter;

    public const string Predictions = MetricNames.Web.Predictions;
    public const string PredictionDuration = MetricNames.Web.PredictionDuration;
    public const string ModelLoads = MetricNames.Web.ModelLoads;
    public const string ServingModel = MetricNames.Web.ServingModel;

    /// <summary>From half a millisecond (one song through pooled engines) to ten seconds (a large batch file).</summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter<long> _predictions;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _loads;

    public PredictionMetrics(IMeterFactory meters, CurrentModel current)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(current);
        var meter = meters.Create(MeterName);
        _predictions = meter.CreateCounter<long>(Predictions, "{song}",
            "Songs answered or refused: outcome hit, not_hit (the model's answer) or rejected (input refused); kind: how it was asked");
        _duration = meter.CreateHistogram(PredictionDuration, "s", "Time from reading a prediction request to its answer, by kind",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _loads = meter.CreateCounter<long>(ModelLoads, "{model}", "Models the site tried to serve: outcome loaded or refused (the previous one kept serving)");
        meter.CreateObservableGauge(ServingModel, () => Serving(current), "{model}",
            "1 for the model version that serves now (tag model_version); nothing while no model is loaded");
    }

    /// <summary>The answers of one request, and how long it took since <paramref name="startedAt"/> (a Stopwatch timestamp).</summary>
    public void Answered(string kind, long hits, long notHits, long startedAt)
    {
        Count("hit", kind, hits);
        Count("not_hit", kind, notHits);
        _duration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, new KeyValuePair<string, object?>("kind", kind));
    }

    /// <summary>Songs (or a whole request) refused as input.</summary>
    public void Rejected(string kind, long songs = 1) => Count("rejected", kind, songs);

    public void ModelLoaded() => _loads.Add(1, new KeyValuePair<string, object?>("outcome", "loaded"));

    public void ModelRefused() => _loads.Add(1, new KeyValuePair<string, object?>("outcome", "refused"));

    private void Count(string outcome, string kind, long songs)
    {
        if (songs > 0)
        {
            _predictions.Add(songs, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("kind", kind));
        }
    }

    private static IEnumerable<Measurement<int>> Serving(CurrentModel current) =>
        current.Serving is { } serving ? [new Measurement<int>(1, new KeyValuePair<string, object?>("model_version", serving.Version))] : [];
}

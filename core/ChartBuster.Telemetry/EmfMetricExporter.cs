using System.Globalization;
using ChartBuster.Songs.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace ChartBuster.Telemetry;

/// <summary>
/// Writes the service's own instruments (names starting with <see cref="Prefix"/>) as CloudWatch embedded-metric-format
/// lines, one per metric point, each holding what happened since the previous export (delta temporality): a counter's
/// increase, a gauge's last value, a histogram's samples. Runtime and ASP.NET Core metrics are left to the Prometheus
/// endpoint: in AWS the load balancer and Container Insights already measure requests and the tasks.
/// </summary>
internal sealed class EmfMetricExporter(TextWriter output, string service, TimeProvider time) : BaseExporter<Metric>
{
    public const string Prefix = "chartbuster.";

    public static PeriodicExportingMetricReader Reader(TextWriter output, string service, int exportSeconds, TimeProvider time) =>
        new(new EmfMetricExporter(output, service, time), exportSeconds * 1000)
        {
            TemporalityPreference = MetricReaderTemporalityPreference.Delta,
        };

    public override ExportResult Export(in Batch<Metric> batch)
    {
        var at = time.GetUtcNow();
        foreach (var metric in batch)
        {
            if (!metric.Name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                if (Values(metric.MetricType, point) is not { Count: > 0 } values)
                {
                    continue;
                }

                var dimensions = new List<KeyValuePair<string, string>>();
                foreach (var tag in point.Tags)
                {
                    dimensions.Add(KeyValuePair.Create(tag.Key, Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? ""));
                }

                output.WriteLine(EmbeddedMetrics.Line(service, at, dimensions, [new EmfMetric(metric.Name, Unit(metric.Unit), values)]));
            }
        }

        output.Flush();
        return ExportResult.Success;
    }

    private static IReadOnlyList<double>? Values(MetricType type, in MetricPoint point) => type switch
    {
        MetricType.LongSum or MetricType.LongSumNonMonotonic => [point.GetSumLong()],
        MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => [point.GetSumDouble()],
        MetricType.LongGauge => [point.GetGaugeLastValueLong()],
        MetricType.DoubleGauge => [point.GetGaugeLastValueDouble()],
        MetricType.Histogram => HistogramSamples(point),
        _ => null,
    };

    /// <summary>
    /// At most <see cref="EmbeddedMetrics.MaxValues"/> samples standing for the interval's measurements: each non-empty
    /// bucket gives its upper bound (the largest value seen, for the last bucket; never beyond the observed min and max)
    /// in proportion to its count, so a percentile CloudWatch computes is the bound of the bucket it falls in.
    /// </summary>
    internal static IReadOnlyList<double>? HistogramSamples(in MetricPoint point)
    {
        var total = point.GetHistogramCount();
        if (total == 0)
        {
            return null;
        }

        var hasRange = point.TryGetHistogramMinMaxValues(out var min, out var max);
        var buckets = new List<(double Value, long Count)>();
        foreach (var bucket in point.GetHistogramBuckets())
        {
            if (bucket.BucketCount > 0)
            {
                var bound = double.IsPositiveInfinity(bucket.ExplicitBound) ? (hasRange ? max : double.MaxValue) : bucket.ExplicitBound;
                buckets.Add((hasRange ? Math.Clamp(bound, min, max) : bound, bucket.BucketCount));
            }
        }

        // Every non-empty bucket keeps at least one sample; the rest of the budget is shared in proportion.
        var budget = EmbeddedMetrics.MaxValues - buckets.Count;
        var samples = new List<double>();
        foreach (var (value, count) in buckets)
        {
            var repeat = total <= EmbeddedMetrics.MaxValues ? count : Math.Max(1, count * budget / total);
            samples.AddRange(Enumerable.Repeat(value, (int)repeat));
        }

        return samples;
    }

    /// <summary>The CloudWatch unit of an instrument's UCUM unit ("s", "ms", "By"; "{song}" and the like count).</summary>
    internal static string Unit(string? unit) => unit switch
    {
        "s" => "Seconds",
        "ms" => "Milliseconds",
        "By" => "Bytes",
        "1" => "None",
        null or "" => "None",
        _ when unit.StartsWith('{') => "Count",
        _ => "None",
    };
}

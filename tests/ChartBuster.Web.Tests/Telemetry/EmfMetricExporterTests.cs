using System.Diagnostics.Metrics;
using System.Text.Json;
using ChartBuster.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace ChartBuster.Web.Tests.Telemetry;

/// <summary>The exporter the web app and the worker use in AWS: each export writes valid embedded-metric-format lines.</summary>
public sealed class EmfMetricExporterTests
{
    private static List<JsonElement> Export(Action<Meter> record, int exports = 1)
    {
        var name = $"Test.{Guid.NewGuid():N}";
        var output = new StringWriter();
        using var meter = new Meter(name);
        using var provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(name)
            .AddReader(EmfMetricExporter.Reader(output, "web", 3600, TimeProvider.System))
            .Build();
        for (var i = 0; i < exports; i++)
        {
            record(meter);
            provider.ForceFlush();
        }

        return [.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    private static JsonElement Directive(JsonElement line) => line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];

    [Fact]
    public void A_counter_is_written_with_the_namespace_the_service_and_its_tags_as_dimensions()
    {
        var lines = Export(meter =>
        {
            var counter = meter.CreateCounter<long>("chartbuster.predictions", "{song}");
            counter.Add(3, new KeyValuePair<string, object?>("outcome", "hit"), new KeyValuePair<string, object?>("kind", "api_single"));
        });

        var line = Assert.Single(lines);
        var directive = Directive(line);
        Assert.Equal("ChartBuster", directive.GetProperty("Namespace").GetString());
        Assert.Equal(["Service", "outcome", "kind"], directive.GetProperty("Dimensions")[0].EnumerateArray().Select(d => d.GetString()).Order().Reverse().OrderBy(d => d == "Service" ? 0 : 1).ThenBy(d => d == "outcome" ? 0 : 1));
        var metric = Assert.Single(directive.GetProperty("Metrics").EnumerateArray());
        Assert.Equal(("chartbuster.predictions", "Count"), (metric.GetProperty("Name").GetString(), metric.GetProperty("Unit").GetString()));
        Assert.Equal(("web", "hit", "api_single", 3), (line.GetProperty("Service").GetString(), line.GetProperty("outcome").GetString(), line.GetProperty("kind").GetString(), line.GetProperty("chartbuster.predictions").GetInt32()));
        Assert.InRange(line.GetProperty("_aws").GetProperty("Timestamp").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Each_export_writes_the_increase_since_the_last_one()
    {
        var lines = Export(meter => meter.CreateCounter<long>("chartbuster.datasets").Add(2), exports: 2);

        Assert.Equal([2, 2], lines.Select(l => l.GetProperty("chartbuster.datasets").GetInt32()));
    }

    [Fact]
    public void Instruments_outside_chartbuster_are_left_to_the_prometheus_endpoint()
    {
        var lines = Export(meter => meter.CreateCounter<long>("http.server.active_requests").Add(1));

        Assert.Empty(lines);
    }

    [Fact]
    public void A_histogram_is_written_as_samples_whose_percentiles_are_bucket_bounds()
    {
        var lines = Export(meter =>
        {
            var histogram = meter.CreateHistogram("chartbuster.prediction.duration", "s", null, null,
                new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.01, 0.1, 1] });
            for (var i = 0; i < 989; i++)
            {
                histogram.Record(0.0005);
            }

            for (var i = 0; i < 10; i++)
            {
                histogram.Record(0.5);
            }

            histogram.Record(3.0);
        });

        var line = Assert.Single(lines);
        Assert.Equal("Seconds", Directive(line).GetProperty("Metrics")[0].GetProperty("Unit").GetString());
        var samples = line.GetProperty("chartbuster.prediction.duration").EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.InRange(samples.Count, 2, 100);
        // Each bucket stands as its upper bound; the open last bucket (above 1 s) would stand as the largest value seen.
        Assert.Equal([0.001, 1, 3.0], samples.Distinct().Order());
        Assert.Equal(95, samples.Count(s => s == 0.001)); // 98.9 % of the measurements keep their share of the 97 samples left after one per bucket
    }

    [Fact]
    public void An_observable_gauge_is_written_with_its_last_value()
    {
        var lines = Export(meter => meter.CreateObservableGauge("chartbuster.model.serving",
            () => new Measurement<int>(1, new KeyValuePair<string, object?>("model_version", "v-7"))));

        Assert.Equal(("v-7", 1), (lines[0].GetProperty("model_version").GetString(), lines[0].GetProperty("chartbuster.model.serving").GetInt32()));
    }
}

using System.Text;
using System.Text.Json;

namespace ChartBuster.Songs.Telemetry;

/// <summary>One metric of an embedded-metric-format line: its name, CloudWatch unit and value(s) in this line.</summary>
/// <param name="Values">One value, or several (a histogram's samples): CloudWatch computes percentiles over them.</param>
public readonly record struct EmfMetric(string Name, string Unit, IReadOnlyList<double> Values)
{
    public EmfMetric(string name, string unit, double value)
        : this(name, unit, [value])
    {
    }
}

/// <summary>
/// CloudWatch embedded metric format: a JSON log line that CloudWatch Logs turns into metrics with no agent and no
/// PutMetricData call (Lambda's log stream and the ECS tasks' awslogs streams alike). All three services write their
/// metrics this way, in one namespace with a <see cref="ServiceDimension"/>. Written with Utf8JsonWriter (no reflection,
/// so the Native AOT function uses it as well).
/// </summary>
public static class EmbeddedMetrics
{
    public const string Namespace = "ChartBuster";

    /// <summary>Every line's first dimension: which service wrote it (<see cref="Services"/>).</summary>
    public const string ServiceDimension = "Service";

    /// <summary>CloudWatch keeps at most 100 values of one metric per line.</summary>
    public const int MaxValues = 100;

    public static class Services
    {
        public const string Preprocess = "preprocess";
        public const string Training = "training";
        public const string Web = "web";
    }

    /// <summary>One line: every metric under one set of dimensions (the service first, then <paramref name="dimensions"/>).</summary>
    /// <param name="properties">Extra fields for Logs Insights (a trace id, a dataset id): not dimensions, so no new metrics.</param>
    public static string Line(
        string service,
        DateTimeOffset at,
        IReadOnlyList<KeyValuePair<string, string>> dimensions,
        IReadOnlyList<EmfMetric> metrics,
        IReadOnlyList<KeyValuePair<string, string>>? properties = null)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(metrics);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", at.ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString("Namespace", Namespace);
            json.WriteStartArray("Dimensions");
            json.WriteStartArray();
            json.WriteStringValue(ServiceDimension);
            foreach (var (name, _) in dimensions)
            {
                json.WriteStringValue(name);
            }

            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            foreach (var metric in metrics)
            {
                json.WriteStartObject();
                json.WriteString("Name", metric.Name);
                json.WriteString("Unit", metric.Unit);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString(ServiceDimension, service);
            foreach (var (name, value) in dimensions)
            {
                json.WriteString(name, value);
            }

            foreach (var metric in metrics)
            {
                WriteValues(json, metric);
            }

            foreach (var (name, value) in properties ?? [])
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteValues(Utf8JsonWriter json, EmfMetric metric)
    {
        if (metric.Values.Count == 0 || metric.Values.Count > MaxValues || metric.Values.Any(v => !double.IsFinite(v)))
        {
            throw new ArgumentException($"{metric.Name} needs 1 to {MaxValues} finite values; it has {metric.Values.Count}.", nameof(metric));
        }

        if (metric.Values.Count == 1)
        {
            json.WriteNumber(metric.Name, metric.Values[0]);
            return;
        }

        json.WriteStartArray(metric.Name);
        foreach (var value in metric.Values)
        {
            json.WriteNumberValue(value);
        }

        json.WriteEndArray();
    }
}

using System.ComponentModel.DataAnnotations;

namespace ChartBuster.Telemetry;

/// <summary>Where a service's metrics go: CloudWatch (EMF lines on stdout) in AWS, a Prometheus endpoint locally.</summary>
public sealed record TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Write the service's own metrics (chartbuster.*) as embedded-metric-format lines on stdout.</summary>
    public bool EmbeddedMetrics { get; set; }

    /// <summary>How often the EMF lines are written (each line holds what happened since the last).</summary>
    [Range(1, 3600)]
    public int ExportSeconds { get; set; } = 60;

    /// <summary>Serve every metric (own, runtime, ASP.NET Core) at http://localhost:{port}/metrics; null: no endpoint.</summary>
    [Range(1, 65535)]
    public int? MetricsPort { get; set; }
}

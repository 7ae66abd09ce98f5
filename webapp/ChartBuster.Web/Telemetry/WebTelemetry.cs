using ChartBuster.Songs.Telemetry;
using ChartBuster.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ChartBuster.Web.Telemetry;

public static class WebTelemetry
{
    /// <summary>The site's instruments, ASP.NET Core's request metrics and traces, exported as <see cref="TelemetryOptions"/> say.</summary>
    public static WebApplicationBuilder AddWebTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<PredictionMetrics>();
        builder.AddChartBusterTelemetry(
            EmbeddedMetrics.Services.Web,
            [PredictionMetrics.MeterName],
            [],
            metrics => metrics.AddAspNetCoreInstrumentation(),
            tracing => tracing.AddAspNetCoreInstrumentation());
        return builder;
    }
}

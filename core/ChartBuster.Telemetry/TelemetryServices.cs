using System.Globalization;
using ChartBuster.Songs.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ChartBuster.Telemetry;

public static class TelemetryServices
{
    /// <summary>
    /// OpenTelemetry for one service: its meters and activity sources, the runtime's metrics, and the exporters its
    /// <see cref="TelemetryOptions"/> ask for. Traces go to an OTLP endpoint only when OTEL_EXPORTER_OTLP_ENDPOINT is set;
    /// without one the trace and span ids still reach every log line (JSON console scopes) and the journey records.
    /// </summary>
    /// <param name="service">The service's name: the resource's service.name and the EMF lines' Service dimension.</param>
    /// <param name="metrics">More metric sources (the web app adds ASP.NET Core's).</param>
    /// <param name="tracing">More trace sources (the web app adds ASP.NET Core's).</param>
    public static IHostApplicationBuilder AddChartBusterTelemetry(
        this IHostApplicationBuilder builder,
        string service,
        IReadOnlyList<string> meters,
        IReadOnlyList<string> activitySources,
        Action<MeterProviderBuilder>? metrics = null,
        Action<TracerProviderBuilder>? tracing = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.Configuration;
        builder.Services.AddOptions<TelemetryOptions>()
            .Configure(o => FromVariables(o, config))
            .BindConfiguration(TelemetryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The exporters are chosen while the services are still being registered, so the settings are read here too.
        var settings = new TelemetryOptions();
        FromVariables(settings, config);
        config.GetSection(TelemetryOptions.Section).Bind(settings);
        var otlp = !string.IsNullOrWhiteSpace(config["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(service))
            .WithMetrics(m =>
            {
                m.AddMeter([.. meters]).AddRuntimeInstrumentation();
                metrics?.Invoke(m);
                if (settings.MetricsPort is { } port)
                {
                    m.AddPrometheusHttpListener(o => (o.Host, o.Port) = ("localhost", port));
                }

                if (settings.EmbeddedMetrics)
                {
                    m.AddReader(EmfMetricExporter.Reader(Console.Out, service, settings.ExportSeconds, TimeProvider.System));
                }
            })
            .WithTracing(t =>
            {
                t.AddSource([.. activitySources]);
                tracing?.Invoke(t);
                if (otlp)
                {
                    t.AddOtlpExporter();
                }
            });
        return builder;
    }

    /// <summary>The two variables, when set; a value that is not what they take stops the start (a typo must not silence metrics).</summary>
    private static void FromVariables(TelemetryOptions options, IConfiguration config)
    {
        if (config[PipelineVariables.EmbeddedMetrics] is { Length: > 0 } emf)
        {
            options.EmbeddedMetrics = bool.TryParse(emf, out var on) ? on
                : throw new InvalidOperationException($"{PipelineVariables.EmbeddedMetrics} must be true or false; it is '{emf}'.");
        }

        if (config[PipelineVariables.MetricsPort] is { Length: > 0 } port)
        {
            options.MetricsPort = int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 65535 ? number
                : throw new InvalidOperationException($"{PipelineVariables.MetricsPort} must be a port number (1 to 65535); it is '{port}'.");
        }
    }
}

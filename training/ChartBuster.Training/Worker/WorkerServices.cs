using ChartBuster.Aws;
using ChartBuster.Model.Registry;
using Amazon.S3;
using Amazon.SQS;
using ChartBuster.Model;
using ChartBuster.Training.Promotion;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ChartBuster.Songs.Pipeline;
using ChartBuster.Songs.Telemetry;
using ChartBuster.Telemetry;

namespace ChartBuster.Training.Worker;

public static class WorkerServices
{
    /// <summary>Everything the worker needs, configured from the environment and validated at start.</summary>
    public static IHostApplicationBuilder AddTrainingWorker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.Configuration;
        builder.Services.AddOptions<WorkerOptions>()
            .Configure(o =>
            {
                o.QueueUrl = config[PipelineVariables.TrainingQueueUrl] ?? "";
                o.ArtifactsBucket = config[PipelineVariables.ArtifactsBucket] ?? "";
                o.ReadyBucket = config[PipelineVariables.ReadyBucket] ?? "";
                o.Profile = config[PipelineVariables.TrainingProfile] ?? o.Profile;
            })
            .BindConfiguration("Worker")
            .Validate(_ => PipelineVariables.Missing(PipelineVariables.Required.TrainingWorker, name => config[name]).Count == 0,
                $"The worker needs {string.Join(", ", PipelineVariables.Required.TrainingWorker)} set.")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<GateOptions>().BindConfiguration("Gate");
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddAwsClients(config, o => AwsCallPolicy.TrainingWorker(o));
        builder.Services.AddSingleton(sp => new ModelRegistry(sp.GetRequiredService<IAmazonS3>(), sp.GetRequiredService<IOptions<WorkerOptions>>().Value.ArtifactsBucket));
        builder.Services.AddSingleton(sp => new QualityGate(sp.GetRequiredService<IOptions<GateOptions>>().Value));
        builder.Services.AddSingleton(sp => new TrainingOptions
        {
            Candidates = sp.GetRequiredService<IOptions<WorkerOptions>>().Value.Profile == "quick" ? ModelCandidate.Quick : ModelCandidate.Defaults,
        });
        builder.Services.AddSingleton<TrainingTelemetry>();
        builder.AddChartBusterTelemetry(EmbeddedMetrics.Services.Training, [TrainingTelemetry.Name], [TrainingTelemetry.Name]);
        builder.Services.AddSingleton<TrainingJob>();
        builder.Services.AddSingleton<TrainingJourney>();
        builder.Services.AddSingleton<TrainingMessageHandler>();
        builder.Services.AddSingleton(sp => new ScaleInProtection(
            new HttpClient { Timeout = TimeSpan.FromSeconds(10) },
            config[ScaleInProtection.AgentUriVariable] is { Length: > 0 } agent ? new Uri(agent) : null,
            sp.GetRequiredService<ILogger<ScaleInProtection>>()));
        builder.Services.AddHostedService<TrainingWorker>();
        // Scopes carry the trace and span ids of the training activity into every log line.
        builder.Logging.ClearProviders().AddJsonConsole(o => (o.UseUtcTimestamp, o.IncludeScopes) = (true, true));
        return builder;
    }
}

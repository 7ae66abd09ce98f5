using System.Text.Json;
using Amazon.S3;
using ChartBuster.Model;
using ChartBuster.Model.Registry;
using ChartBuster.Model.Serving;
using Microsoft.Extensions.Options;

namespace ChartBuster.Web.Following;

/// <summary>
/// Keeps the serving model current. With a bucket it polls models/current.json (its ETag) and, when the
/// pointer moves, loads the new version beside the old one; with a path it watches the file. A model that
/// fails its checks is refused and logged, and the old one keeps serving.
/// </summary>
public sealed partial class ModelFollower(
    HitPredictor predictor,
    ServingModelInfo info,
    IOptions<ModelSourceOptions> options,
    IServiceProvider services,
    TimeProvider time,
    ILogger<ModelFollower> logger) : BackgroundService
{
    private string? _lastSeen;

    /// <summary>Loads the current model before the app takes requests, so a model that exists is served from the first request.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await PollAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await PollAsync(stoppingToken);
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CheckAsync(cancellationToken);
        }
        catch (Exception e) when (e is AmazonS3Exception or IOException or HttpRequestException or JsonException)
        {
            // The next poll tries again; what serves now keeps serving.
            LogPollFailed(e);
        }
    }

    /// <summary>One poll: loads a new model if the source changed.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.ModelPath))
        {
            await CheckFileAsync(settings.ModelPath, cancellationToken);
        }
        else
        {
            await CheckRegistryAsync(cancellationToken);
        }
    }

    private async Task CheckFileAsync(string path, CancellationToken cancellationToken)
    {
        var stamp = File.GetLastWriteTimeUtc(path).Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (stamp == _lastSeen || !File.Exists(path))
        {
            return;
        }

        _lastSeen = stamp;
        var version = $"local-{File.GetLastWriteTimeUtc(path):yyyyMMdd'T'HHmmss'Z'}";
        await using var zip = File.OpenRead(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var card = ReadLocal(Path.Combine(directory, ModelFiles.Card), ModelJsonContext.Default.ModelCard);
        var metrics = ReadLocal(Path.Combine(directory, ModelFiles.Metrics), ModelJsonContext.Default.ModelMetrics);
        Swap(zip, card?.ModelVersion ?? version, path, card, metrics);
        await Task.CompletedTask.WaitAsync(cancellationToken);
    }

    private async Task CheckRegistryAsync(CancellationToken cancellationToken)
    {
        var s3 = services.GetRequiredService<IAmazonS3>();
        var bucket = options.Value.ArtifactsBucket!;
        string etag;
        try
        {
            etag = (await s3.GetObjectMetadataAsync(bucket, ModelRegistry.PointerKey, cancellationToken)).ETag;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return; // no model has been promoted yet
        }

        if (etag == _lastSeen)
        {
            return;
        }

        var registry = new ModelRegistry(s3, bucket);
        var pointer = await registry.CurrentAsync(cancellationToken);
        _lastSeen = etag;
        if (pointer is null)
        {
            return;
        }

        await using var zip = await registry.OpenModelAsync(pointer.ModelVersion, cancellationToken);
        if (zip is null)
        {
            LogRefused(pointer.ModelVersion, "the pointer names a version without model.zip");
            return;
        }

        var card = await registry.ReadCardAsync(pointer.ModelVersion, cancellationToken);
        var metrics = await registry.ReadMetricsAsync(pointer.ModelVersion, cancellationToken);
        Swap(zip, pointer.ModelVersion, $"s3://{bucket}/{ModelRegistry.VersionPrefix(pointer.ModelVersion)}", card, metrics);
    }

    private void Swap(Stream zip, string version, string source, ModelCard? card, ModelMetrics? metrics)
    {
        if (predictor.TryLoad(zip, version) is { } problem)
        {
            LogRefused(version, problem);
            return;
        }

        info.Set(new ServingModelInfo.Snapshot(version, source, card, metrics, time.GetUtcNow()));
        LogServing(version, source);
    }

    private static T? ReadLocal<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class => File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), type) : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "serving model {ModelVersion} from {Source}")]
    private partial void LogServing(string modelVersion, string source);

    [LoggerMessage(Level = LogLevel.Error, Message = "refused model {ModelVersion}: {Problem}; the previous model keeps serving")]
    private partial void LogRefused(string modelVersion, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "checking for a new model failed; will retry")]
    private partial void LogPollFailed(Exception exception);
}

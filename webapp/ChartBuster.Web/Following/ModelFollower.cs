using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3;
using ChartBuster.Model;
using ChartBuster.Model.Registry;
using ChartBuster.Model.Serving;
using ChartBuster.Web.Telemetry;
using Microsoft.Extensions.Options;

namespace ChartBuster.Web.Following;

/// <summary>What one check of the model source did.</summary>
public enum FollowOutcome
{
    /// <summary>The source names the model already handled.</summary>
    Unchanged,

    /// <summary>No model has been promoted (or written) yet.</summary>
    NoModelYet,

    Loaded,

    /// <summary>The model cannot serve (unreadable, another schema, no smoke answer); retrying the same one cannot help.</summary>
    Refused,

    /// <summary>The check failed for a reason that may pass (S3 503, a timeout, a malformed response); it is retried.</summary>
    Failed,
}

/// <summary>
/// Keeps the serving model current. With a bucket it polls models/current.json and, when the pointer moves, loads
/// the version it names beside the old one; with a path it watches the file. A pointer counts as handled only once
/// its model has loaded or was refused for a reason retrying cannot fix; any other failure is retried with backoff
/// and jitter. Nothing a model or S3 does ends the following or the site: the current model keeps serving.
/// </summary>
public sealed partial class ModelFollower(
    HitPredictor predictor,
    ServingModelInfo info,
    PredictionMetrics telemetry,
    IOptions<ModelSourceOptions> options,
    IServiceProvider services,
    TimeProvider time,
    ILogger<ModelFollower> logger) : BackgroundService
{
    private readonly RetryBackoff _backoff = new(
        TimeSpan.FromSeconds(options.Value.RetrySeconds), TimeSpan.FromSeconds(Math.Max(options.Value.RetrySeconds, options.Value.PollSeconds)), Random.Shared);

    private readonly SemaphoreSlim _checking = new(1, 1);
    private string? _handled;
    private FollowOutcome _last = FollowOutcome.Unchanged;

    /// <summary>How long the start waits for the first check: a task must come up (and say 503) even while S3 does not answer.</summary>
    public static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(15);

    /// <summary>Loads the current model before the app takes requests, so a model that exists is served from the first request.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startup.CancelAfter(StartupWait);
        try
        {
            _last = await CheckAsync(startup.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogStartupWaitOver(StartupWait.TotalSeconds);
            _last = FollowOutcome.Failed; // the loop retries with backoff
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = _last == FollowOutcome.Failed ? _backoff.Next() : TimeSpan.FromSeconds(options.Value.PollSeconds);
            try
            {
                await Task.Delay(wait, time, stoppingToken);
                _last = await CheckAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            if (_last != FollowOutcome.Failed)
            {
                _backoff.Reset();
            }
        }
    }

    /// <summary>One check of the source: loads a new model if it changed. Never throws but for cancellation.</summary>
    public async Task<FollowOutcome> CheckAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await _checking.WaitAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.CheckTimeoutSeconds));
        try
        {
            return !string.IsNullOrWhiteSpace(settings.ModelPath)
                ? CheckFile(settings.ModelPath)
                : await CheckRegistryAsync(settings.ArtifactsBucket!, timeout.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever fails here (S3, the network, a response the SDK cannot parse) must not end the following.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogCheckFailed(e, _backoff.Failures + 1, e.GetType().Name, e.Message);
            return FollowOutcome.Failed;
        }
        finally
        {
            _checking.Release();
        }
    }

    public override void Dispose()
    {
        _checking.Dispose();
        base.Dispose();
    }

    private async Task<FollowOutcome> CheckRegistryAsync(string bucket, CancellationToken cancellationToken)
    {
        var s3 = services.GetRequiredService<IAmazonS3>();
        string etag;
        try
        {
            etag = (await s3.GetObjectMetadataAsync(bucket, ModelRegistry.PointerKey, cancellationToken)).ETag;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return FollowOutcome.NoModelYet;
        }

        if (etag == _handled)
        {
            return FollowOutcome.Unchanged;
        }

        var registry = new ModelRegistry(s3, bucket);
        var (pointer, pointerETag) = await ReadPointerAsync(registry, cancellationToken);
        if (pointer is null)
        {
            return pointerETag is null ? FollowOutcome.NoModelYet : Refuse(pointerETag, ModelRegistry.PointerKey, "the pointer is not valid JSON naming a model version");
        }

        await using var zip = await registry.OpenModelAsync(pointer.ModelVersion, cancellationToken);
        if (zip is null)
        {
            return Refuse(pointerETag!, pointer.ModelVersion, "the pointer names a version without model.zip");
        }

        var card = await ReadOrNullAsync(() => registry.ReadCardAsync(pointer.ModelVersion, cancellationToken), pointer.ModelVersion);
        var metrics = await ReadOrNullAsync(() => registry.ReadMetricsAsync(pointer.ModelVersion, cancellationToken), pointer.ModelVersion);
        var bytes = ((MemoryStream)zip).ToArray();
        if (card?.ModelSha256 is { } expected && expected != Sha256(bytes))
        {
            return Refuse(pointerETag!, pointer.ModelVersion, "model.zip is not the file its model card describes (SHA-256 differs)");
        }

        return Load(pointerETag!, bytes, pointer.ModelVersion, $"s3://{bucket}/{ModelRegistry.VersionPrefix(pointer.ModelVersion)}", card, metrics);
    }

    /// <summary>The pointer and the ETag of the very object read (it may have moved since the HEAD).</summary>
    private static async Task<(ModelPointer? Pointer, string? ETag)> ReadPointerAsync(ModelRegistry registry, CancellationToken cancellationToken)
    {
        try
        {
            return await registry.ReadPointerAsync(cancellationToken);
        }
        catch (JsonException)
        {
            return (null, await registry.PointerETagAsync(cancellationToken));
        }
    }

    private FollowOutcome CheckFile(string path)
    {
        var zipFile = new FileInfo(path);
        if (!zipFile.Exists)
        {
            return FollowOutcome.NoModelYet;
        }

        var directory = zipFile.DirectoryName!;
        var cardFile = new FileInfo(Path.Combine(directory, ModelFiles.Card));
        var stamp = $"{zipFile.LastWriteTimeUtc.Ticks}-{zipFile.Length}-{(cardFile.Exists ? cardFile.LastWriteTimeUtc.Ticks : 0)}";
        if (stamp == _handled)
        {
            return FollowOutcome.Unchanged;
        }

        var bytes = File.ReadAllBytes(path);
        var sha = Sha256(bytes);
        var card = ReadLocal(cardFile.FullName, ModelJsonContext.Default.ModelCard);
        var metrics = ReadLocal(Path.Combine(directory, ModelFiles.Metrics), ModelJsonContext.Default.ModelMetrics);
        if (card is not null && !Describes(card, sha, cardFile, zipFile))
        {
            LogStaleCard(path, card.ModelVersion);
            (card, metrics) = (null, null);
        }

        return Load(stamp, bytes, card?.ModelVersion ?? $"local-{sha[..12]}", path, card, metrics);
    }

    /// <summary>
    /// Whether a card beside a model.zip is that model's: by the SHA-256 it records, or (cards written before it did)
    /// by being written no earlier than the model, as training writes model.zip first and the card last.
    /// </summary>
    private static bool Describes(ModelCard card, string sha, FileInfo cardFile, FileInfo zipFile) =>
        card.ModelSha256 is { } expected ? expected == sha : cardFile.LastWriteTimeUtc >= zipFile.LastWriteTimeUtc;

    private FollowOutcome Load(string handled, byte[] zip, string version, string source, ModelCard? card, ModelMetrics? modelMetrics)
    {
        using var stream = new MemoryStream(zip, writable: false);
        if (predictor.TryLoad(stream, version) is { } problem)
        {
            return Refuse(handled, version, problem);
        }

        _handled = handled;
        info.Set(new ServingModelInfo.Snapshot(version, source, card, modelMetrics, time.GetUtcNow()));
        telemetry.ModelLoaded();
        LogServing(version, source, predictor.Current?.Evaluator.Description ?? "");
        return FollowOutcome.Loaded;
    }

    private FollowOutcome Refuse(string handled, string version, string problem)
    {
        _handled = handled;
        info.Refuse(new ServingModelInfo.Refusal(version, problem, time.GetUtcNow()));
        telemetry.ModelRefused();
        LogRefused(version, problem);
        return FollowOutcome.Refused;
    }

    /// <summary>A card or metrics file that cannot be parsed leaves the model servable, only less described.</summary>
    private async Task<T?> ReadOrNullAsync<T>(Func<Task<T?>> read, string version)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (JsonException e)
        {
            LogUnreadableDocument(e, version);
            return null;
        }
    }

    private T? ReadLocal<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), type) : null;
        }
        catch (JsonException e)
        {
            LogUnreadableDocument(e, path);
            return null;
        }
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [LoggerMessage(Level = LogLevel.Information, Message = "serving model {ModelVersion} from {Source}; evaluated by {Evaluation}")]
    private partial void LogServing(string modelVersion, string source, string evaluation);

    [LoggerMessage(Level = LogLevel.Error, Message = "refused model {ModelVersion}: {Problem}; the previous model keeps serving")]
    private partial void LogRefused(string modelVersion, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "checking for a new model failed (failure {Failures} in a row: {ErrorType}: {ErrorMessage}); will retry")]
    private partial void LogCheckFailed(Exception exception, int failures, string errorType, string errorMessage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "no answer from the model source within {Seconds} s of starting; starting without a model and retrying")]
    private partial void LogStartupWaitOver(double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "a model document of {Model} cannot be read; serving without it")]
    private partial void LogUnreadableDocument(Exception exception, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the model card beside {Path} ({CardVersion}) describes another model.zip; not using it")]
    private partial void LogStaleCard(string path, string cardVersion);
}

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
/// Keeps the serving model current: looks at the <see cref="IModelSource"/> every poll and, when it names another
/// model, loads it into <see cref="CurrentModel"/> beside the old one. What was found counts as handled only once its
/// model has loaded or was refused for a reason retrying cannot fix; any other failure is retried with backoff and
/// jitter. Nothing a model or S3 does ends the following or the site: the current model keeps serving.
/// </summary>
public sealed partial class ModelFollower(
    CurrentModel current,
    IModelSource source,
    PredictionMetrics telemetry,
    IOptions<ModelSourceOptions> options,
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
            return await source.LookAsync(_handled, timeout.Token) switch
            {
                SourceLook.Found found => Load(found),
                SourceLook.Unservable unservable => Refuse(unservable.Stamp, unservable.Version, unservable.Reason),
                SourceLook.NoModelYet => FollowOutcome.NoModelYet,
                _ => FollowOutcome.Unchanged,
            };
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

    private FollowOutcome Load(SourceLook.Found found)
    {
        using var zip = new MemoryStream(found.Zip, writable: false);
        if (current.TryServe(zip, found.Version, found.Source, found.Card, found.Metrics, time.GetUtcNow()) is { } problem)
        {
            return Refused(found.Stamp, found.Version, problem);
        }

        _handled = found.Stamp;
        telemetry.ModelLoaded();
        LogServing(found.Version, found.Source, current.Serving?.Evaluator.Description ?? "");
        return FollowOutcome.Loaded;
    }

    /// <summary>A model refused before loading it: recorded as refused, the current one keeps serving.</summary>
    private FollowOutcome Refuse(string stamp, string version, string problem)
    {
        current.Refuse(version, problem, time.GetUtcNow());
        return Refused(stamp, version, problem);
    }

    private FollowOutcome Refused(string stamp, string version, string problem)
    {
        _handled = stamp;
        telemetry.ModelRefused();
        LogRefused(version, problem);
        return FollowOutcome.Refused;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "serving model {ModelVersion} from {Source}; evaluated by {Evaluation}")]
    private partial void LogServing(string modelVersion, string source, string evaluation);

    [LoggerMessage(Level = LogLevel.Error, Message = "refused model {ModelVersion}: {Problem}; the previous model keeps serving")]
    private partial void LogRefused(string modelVersion, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "checking for a new model failed (failure {Failures} in a row: {ErrorType}: {ErrorMessage}); will retry")]
    private partial void LogCheckFailed(Exception exception, int failures, string errorType, string errorMessage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "no answer from the model source within {Seconds} s of starting; starting without a model and retrying")]
    private partial void LogStartupWaitOver(double seconds);
}

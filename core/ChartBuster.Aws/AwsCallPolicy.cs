using System.ComponentModel.DataAnnotations;

namespace ChartBuster.Aws;

/// <summary>
/// How one service's S3 and SQS calls retry and time out. The SDK does the retrying (standard mode: exponential
/// backoff with jitter, a client-wide retry quota so an outage is not multiplied by retries, throttling and 5xx
/// answers and timeouts retried, 4xx not); this record only bounds it. Each service sets it once, where its clients
/// are made (<see cref="AwsClients"/>); the web app and the worker bind it from the "AwsCalls" configuration section
/// over their defaults.
/// </summary>
public sealed class AwsCallPolicy
{
    /// <summary>Tries per call, the first included (the SDK's standard mode default is 3).</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>One HTTP request (one attempt) gives up after this long; the SDK then retries it.</summary>
    [Range(0.1, 900)]
    public double TimeoutSeconds { get; set; } = 30;

    /// <summary>Opening a connection gives up after this long (a black-holed endpoint fails fast and is retried).</summary>
    [Range(0.1, 60)]
    public double ConnectTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// The Lambda: an 8 MiB part must go up well within a minute; a failure after the SDK's tries fails the invocation,
    /// which Lambda retries twice more, so the SDK need not try hard.
    /// </summary>
    public static AwsCallPolicy PreprocessFunction(AwsCallPolicy? policy = null) => Set(policy, maxAttempts: 3, timeoutSeconds: 60);

    /// <summary>
    /// The worker: a failed call after training throws away minutes of work (the message is retried from scratch), so it
    /// tries harder, and a model.zip of tens of MB is one request.
    /// </summary>
    public static AwsCallPolicy TrainingWorker(AwsCallPolicy? policy = null) => Set(policy, maxAttempts: 5, timeoutSeconds: 120);

    /// <summary>
    /// The web app: page requests wait on these calls, and the model follower bounds a whole check itself and polls again,
    /// so one call must fail fast rather than hold a request.
    /// </summary>
    public static AwsCallPolicy PredictionSite(AwsCallPolicy? policy = null) => Set(policy, maxAttempts: 3, timeoutSeconds: 20);

    /// <summary>Command lines, the local wiring and tests: an operator is watching; the SDK's standard-mode defaults.</summary>
    public static AwsCallPolicy Tools() => new();

    /// <summary>A service's defaults, on a new policy or on the one the options pattern is about to bind.</summary>
    private static AwsCallPolicy Set(AwsCallPolicy? policy, int maxAttempts, double timeoutSeconds)
    {
        policy ??= new AwsCallPolicy();
        policy.MaxAttempts = maxAttempts;
        policy.TimeoutSeconds = timeoutSeconds;
        return policy;
    }
}

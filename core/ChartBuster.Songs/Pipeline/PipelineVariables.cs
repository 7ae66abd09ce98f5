namespace ChartBuster.Songs.Pipeline;

/// <summary>
/// The environment variables of DESIGN.md, written once: the function, the worker, the web app and the local wiring read
/// them by these names, and the CDK app sets them by these names for each service.
/// </summary>
public static class PipelineVariables
{
    public const string RawBucket = "CHARTBUSTER_RAW_BUCKET";
    public const string ReadyBucket = "CHARTBUSTER_READY_BUCKET";
    public const string ArtifactsBucket = "CHARTBUSTER_ARTIFACTS_BUCKET";
    public const string MaxRejectedShare = "CHARTBUSTER_MAX_REJECTED_SHARE";
    public const string TrainingQueueUrl = "CHARTBUSTER_TRAINING_QUEUE_URL";
    public const string TrainingQueueName = "CHARTBUSTER_TRAINING_QUEUE_NAME";
    public const string TrainingProfile = "CHARTBUSTER_TRAINING_PROFILE";
    public const string ModelPath = "CHARTBUSTER_MODEL_PATH";

    /// <summary>"true": the web app and the worker write their metrics as embedded-metric-format lines on stdout (AWS).</summary>
    public const string EmbeddedMetrics = "CHARTBUSTER_EMBEDDED_METRICS";

    /// <summary>A port for a Prometheus endpoint (http://localhost:{port}/metrics) of the web app or the worker (local).</summary>
    public const string MetricsPort = "CHARTBUSTER_METRICS_PORT";

    /// <summary>The names of <paramref name="required"/> that are not set (or blank), in order.</summary>
    public static IReadOnlyList<string> Missing(IEnumerable<string> required, Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(required);
        ArgumentNullException.ThrowIfNull(variable);
        return [.. required.Where(name => string.IsNullOrWhiteSpace(variable(name)))];
    }

    /// <summary>What each deployed service needs set to do its work in AWS (a test holds the CDK app to it).</summary>
    public static class Required
    {
        /// <summary>The preprocess function: where to write, and which bucket's events to accept.</summary>
        public static readonly IReadOnlyList<string> PreprocessFunction = [RawBucket, ReadyBucket];

        /// <summary>The training worker: its queue, the datasets and journeys (ready), the model registry (artifacts).</summary>
        public static readonly IReadOnlyList<string> TrainingWorker = [TrainingQueueUrl, ReadyBucket, ArtifactsBucket];

        /// <summary>The web app connected to the pipeline: the model registry and the datasets pages. (Offline it serves
        /// <see cref="ModelPath"/> instead, which no deployed service uses.)</summary>
        public static readonly IReadOnlyList<string> PredictionSite = [ArtifactsBucket, ReadyBucket];
    }
}

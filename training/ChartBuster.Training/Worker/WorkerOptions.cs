using System.ComponentModel.DataAnnotations;

namespace ChartBuster.Training.Worker;

/// <summary>The worker's configuration (environment variables of DESIGN.md, plus tuning knobs with defaults).</summary>
public sealed class WorkerOptions
{
    [Required]
    public string QueueUrl { get; set; } = "";

    [Required]
    public string ArtifactsBucket { get; set; } = "";

    /// <summary>CHARTBUSTER_READY_BUCKET: where the datasets are, and where each training writes its journey records.</summary>
    [Required]
    public string ReadyBucket { get; set; } = "";

    /// <summary>
    /// The training queue's maxReceiveCount (the CDK stack sets both from one constant): the attempt that reaches it is
    /// the last, so its failure is recorded as dead-lettered.
    /// </summary>
    [Range(1, 1000)]
    public int MaxReceiveCount { get; set; } = 3;

    /// <summary>Long-poll wait of each receive (SQS allows up to 20 s).</summary>
    [Range(0, 20)]
    public int WaitTimeSeconds { get; set; } = 20;

    /// <summary>While training, the message's visibility is pushed this far ahead…</summary>
    [Range(1, 43_200)]
    public int VisibilityExtensionSeconds { get; set; } = 300;

    /// <summary>…this often, so a training longer than the queue's visibility timeout is never delivered twice.</summary>
    [Range(0.05, 3_600)]
    public double HeartbeatSeconds { get; set; } = 60;

    /// <summary>After a failure the message becomes visible again this soon (it reaches the DLQ after 3 receives).</summary>
    [Range(0, 43_200)]
    public int RetryDelaySeconds { get; set; } = 30;

    /// <summary>
    /// The task's memory (the CDK stack sets it from the task definition's, TrainingPipeline.MemoryMiB, the same 8,192
    /// by default): it bounds the largest dataset the worker trains (<see cref="MaxTrainingRows"/>).
    /// </summary>
    [Range(64, 1_048_576)]
    public int TaskMemoryMiB { get; set; } = 8192;

    /// <summary>
    /// Memory a training holds per row of ready.csv. bench/scale measured ~1.25 KB a row for the peer-sized model
    /// (135 MB at 10 k rows, 1.39 GB at 1 M) and ~1.8 KB for the full profile between 10 k and 100 k rows (it keeps
    /// cross-validation folds too): 2 KiB.
    /// </summary>
    [Range(1, 100_000_000)]
    public int TrainingBytesPerRow { get; set; } = 2048;

    /// <summary>The share of <see cref="TaskMemoryMiB"/> the rows may take: the rest is the runtime, ML.NET's and
    /// LightGbm's own buffers and the models.</summary>
    public const double RowsShareOfMemory = 0.75;

    /// <summary>The most rows a dataset may have to be trained here (3,145,728 with the defaults); a larger one is
    /// refused with the reason in its journey instead of running the task out of memory on every attempt.</summary>
    public long MaxTrainingRows => (long)(TaskMemoryMiB * 1024.0 * 1024.0 * RowsShareOfMemory / TrainingBytesPerRow);

    /// <summary>"full" (every default candidate, cross-validated) or "quick" (one small model, for demos and tests).</summary>
    [AllowedValues("full", "quick")]
    public string Profile { get; set; } = "full";
}

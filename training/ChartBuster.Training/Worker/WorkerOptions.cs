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

    /// <summary>"full" (every default candidate, cross-validated) or "quick" (one small model, for demos and tests).</summary>
    [AllowedValues("full", "quick")]
    public string Profile { get; set; } = "full";
}

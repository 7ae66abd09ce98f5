using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using ChartBuster.Preprocess;
using ChartBuster.Songs.Pipeline;

namespace ChartBuster.LocalWiring;

/// <summary>The names of the local stack's buckets and queues (the environment variables of DESIGN.md, with local defaults).</summary>
public sealed record LocalResources(string RawBucket, string ReadyBucket, string ArtifactsBucket, string QueueName)
{
    /// <summary>As the CDK stack sets the training queue: 5-minute visibility, 4 days; dead letters after 3 receives, kept 14 days.</summary>
    public const int VisibilityTimeoutSeconds = 300;

    public const int MaxReceiveCount = 3;

    public static LocalResources FromEnvironment(Func<string, string?> variable) => new(
        variable(PipelineVariables.RawBucket) ?? "chartbuster-raw",
        variable(PipelineVariables.ReadyBucket) ?? "chartbuster-ready",
        variable(PipelineVariables.ArtifactsBucket) ?? "chartbuster-artifacts",
        variable(PipelineVariables.TrainingQueueName) ?? "chartbuster-training");

    public string DeadLetterQueueName => QueueName + "-dlq";

    /// <summary>Creates what is missing (a second `up` finds everything in place) and returns the training queue's URL.</summary>
    public async Task<string> EnsureAsync(IAmazonS3 s3, IAmazonSQS sqs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(sqs);
        var existing = (await s3.ListBucketsAsync(cancellationToken)).Buckets?.Select(b => b.BucketName).ToHashSet() ?? [];
        foreach (var bucket in new[] { RawBucket, ReadyBucket, ArtifactsBucket }.Where(b => !existing.Contains(b)))
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken);
        }

        var dead = await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = DeadLetterQueueName,
            Attributes = new Dictionary<string, string> { ["MessageRetentionPeriod"] = "1209600" },
        }, cancellationToken);
        var deadArn = (await sqs.GetQueueAttributesAsync(dead.QueueUrl, ["QueueArn"], cancellationToken)).QueueARN;
        var queue = await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = QueueName,
            Attributes = new Dictionary<string, string>
            {
                ["VisibilityTimeout"] = $"{VisibilityTimeoutSeconds}",
                ["MessageRetentionPeriod"] = "345600",
                ["RedrivePolicy"] = $"{{\"deadLetterTargetArn\":\"{deadArn}\",\"maxReceiveCount\":\"{MaxReceiveCount}\"}}",
            },
        }, cancellationToken);
        return queue.QueueUrl;
    }
}

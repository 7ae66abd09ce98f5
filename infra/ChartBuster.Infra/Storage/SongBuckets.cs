using Amazon.CDK;
using Amazon.CDK.AWS.S3;
using ChartBuster.Songs.Journeys;
using Constructs;

namespace ChartBuster.Infra.Storage;

/// <summary>
/// The three buckets of DESIGN.md (raw uploads, prepared datasets, model artifacts) and the bucket their server access
/// logs (and the VPC's flow logs) go to.
/// </summary>
public sealed class SongBuckets : Construct
{
    /// <summary>How long access and flow logs are kept: a year covers an investigation of anything the data buckets hold.</summary>
    public const int LogRetentionDays = 365;

    public SongBuckets(Construct scope, string id, StackSettings settings)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(settings);
        AccessLogs = PrivateBucket("AccessLogs", settings, versioned: false, eventBridge: false, logPrefix: null, new LifecycleRule
        {
            Id = "expire-logs",
            Expiration = Duration.Days(LogRetentionDays),
            AbortIncompleteMultipartUploadAfter = Duration.Days(1),
        });
        LintFindings.Accept(AccessLogs, "AwsSolutions-S1", "This is the access-log bucket: logging its own access into itself would log every log delivery.");
        LintFindings.Accept(AccessLogs, "s3_bucket_logging_enabled_check", "This is the access-log bucket: logging its own access into itself would log every log delivery.");
        LintFindings.Accept(AccessLogs, "s3_bucket_versioning_enabled_check", "Logs are written once by AWS log delivery and never overwritten; no role of the stack may delete them.");
        LintFindings.Accept(AccessLogs, "s3_event_notifications_enabled_check", "Nothing reacts to a delivered log file; they are read when investigating.");

        Raw = PrivateBucket("Raw", settings, versioned: false, eventBridge: false, "s3/raw/", new LifecycleRule
        {
            Id = "expire-raw-uploads",
            Expiration = Duration.Days(settings.RawRetentionDays),
            AbortIncompleteMultipartUploadAfter = Duration.Days(1),
        });
        // Journey records live beside the datasets they tell about and expire with them. S3 sends this bucket's events
        // to EventBridge too, where rules turn outcome records into notifications.
        Ready = PrivateBucket("Ready", settings, versioned: false, eventBridge: true, "s3/ready/", new LifecycleRule
        {
            Id = "expire-prepared-datasets",
            Prefix = JourneyKeys.PreparedRoot,
            Expiration = Duration.Days(settings.ReadyRetentionDays),
            AbortIncompleteMultipartUploadAfter = Duration.Days(1),
        }, new LifecycleRule
        {
            Id = "expire-journeys",
            Prefix = JourneyKeys.Root,
            Expiration = Duration.Days(settings.ReadyRetentionDays),
        });

        // Versioned: an overwritten current.json or model can always be recovered; old versions age out.
        Artifacts = PrivateBucket("Artifacts", settings, versioned: true, eventBridge: false, "s3/artifacts/", new LifecycleRule
        {
            Id = "expire-replaced-versions",
            NoncurrentVersionExpiration = Duration.Days(90),
            AbortIncompleteMultipartUploadAfter = Duration.Days(1),
        });
        AcceptGuardFindings(Raw, Ready, Artifacts);
    }

    private static void AcceptGuardFindings(Bucket raw, Bucket ready, Bucket artifacts)
    {
        const string NotifiedByCustomResource = "Its event notifications exist: CDK configures them through the Custom::S3BucketNotifications resource, which the rule cannot see.";
        LintFindings.Accept(raw, "s3_event_notifications_enabled_check", NotifiedByCustomResource);
        LintFindings.Accept(ready, "s3_event_notifications_enabled_check", NotifiedByCustomResource);
        LintFindings.Accept(artifacts, "s3_event_notifications_enabled_check", "Nothing is notified of new models: the web app polls models/current.json (DESIGN.md).");
        LintFindings.Accept(raw, "s3_bucket_versioning_enabled_check", "Uploads are inputs that expire; a file uploaded again under the same key is a new dataset by design (key + ETag), and no role may delete objects.");
        LintFindings.Accept(ready, "s3_bucket_versioning_enabled_check", "Prepared datasets are derived deterministically from the raw upload and never overwritten with other content (the dataset id is key + ETag).");
    }

    public Bucket AccessLogs { get; }

    public Bucket Raw { get; }

    public Bucket Ready { get; }

    public Bucket Artifacts { get; }

    private Bucket PrivateBucket(string id, StackSettings settings, bool versioned, bool eventBridge, string? logPrefix, params LifecycleRule[] lifecycle)
    {
        var bucket = new Bucket(this, id, new BucketProps
        {
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,

            // SSE-S3 rather than KMS: S3 → SQS notifications cannot use the AWS-managed KMS key, and it costs nothing.
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            MinimumTLSVersion = 1.2,
            Versioned = versioned,
            EventBridgeEnabled = eventBridge,
            LifecycleRules = lifecycle,
            RemovalPolicy = settings.DataRemovalPolicy,
            AutoDeleteObjects = settings.DestroyData,
            ServerAccessLogsBucket = logPrefix is null ? null : AccessLogs,
            ServerAccessLogsPrefix = logPrefix,
        });
        LintFindings.Accept(bucket, "s3_bucket_default_encryption_kms_check", "SSE-S3, not KMS: S3 event notifications to SQS cannot use the AWS-managed KMS key, server access logs cannot be delivered to a KMS-encrypted bucket, and a customer key would cost for no reader we lack.");
        LintFindings.Accept(bucket, "s3_bucket_object_lock_enabled_check", "Object Lock would forbid the lifecycle expiry this data needs (uploads, datasets, old model versions age out); no role may delete objects.");
        return bucket;
    }
}

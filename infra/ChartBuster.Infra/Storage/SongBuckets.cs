using Amazon.CDK;
using Amazon.CDK.AWS.S3;
using ChartBuster.Songs.Journeys;
using Constructs;

namespace ChartBuster.Infra.Storage;

/// <summary>The three buckets of DESIGN.md: raw uploads, prepared datasets, model artifacts.</summary>
public sealed class SongBuckets : Construct
{
    public SongBuckets(Construct scope, string id, StackSettings settings)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Raw = PrivateBucket("Raw", settings, versioned: false, eventBridge: false, new LifecycleRule
        {
            Id = "expire-raw-uploads",
            Expiration = Duration.Days(settings.RawRetentionDays),
            AbortIncompleteMultipartUploadAfter = Duration.Days(1),
        });
        // Journey records live beside the datasets they tell about and expire with them. S3 sends this bucket's events
        // to EventBridge too, where rules turn outcome records into notifications.
        Ready = PrivateBucket("Ready", settings, versioned: false, eventBridge: true, new LifecycleRule
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
        Artifacts = PrivateBucket("Artifacts", settings, versioned: true, eventBridge: false, new LifecycleRule
        {
            Id = "expire-replaced-versions",
            NoncurrentVersionExpiration = Duration.Days(90),
            AbortIncompleteMultipartUploadAfter = Duration.Days(1),
        });
    }

    public Bucket Raw { get; }

    public Bucket Ready { get; }

    public Bucket Artifacts { get; }

    private Bucket PrivateBucket(string id, StackSettings settings, bool versioned, bool eventBridge, params LifecycleRule[] lifecycle) =>
        new(this, id, new BucketProps
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
        });
}

using Amazon.CDK;
using Amazon.CDK.AWS.S3;
using Constructs;

namespace ChartBuster.Infra.Storage;

/// <summary>The three buckets of DESIGN.md: raw uploads, prepared datasets, model artifacts.</summary>
public sealed class SongBuckets : Construct
{
    public SongBuckets(Construct scope, string id, StackSettings settings)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Raw = PrivateBucket("Raw", settings, versioned: false, new LifecycleRule
        {
            Id = "expire-raw-uploads",
            Expiration = Duration.Days(settings.RawRetentionDays),
            AbortIncompleteMultipartUploadAfter = Duration.Days(1),
        });
        Ready = PrivateBucket("Ready", settings, versioned: false, new LifecycleRule
        {
            Id = "expire-prepared-datasets",
            Prefix = "datasets/",
            Expiration = Duration.Days(settings.ReadyRetentionDays),
            AbortIncompleteMultipartUploadAfter = Duration.Days(1),
        });

        // Versioned: an overwritten current.json or model can always be recovered; old versions age out.
        Artifacts = PrivateBucket("Artifacts", settings, versioned: true, new LifecycleRule
        {
            Id = "expire-replaced-versions",
            NoncurrentVersionExpiration = Duration.Days(90),
            AbortIncompleteMultipartUploadAfter = Duration.Days(1),
        });
    }

    public Bucket Raw { get; }

    public Bucket Ready { get; }

    public Bucket Artifacts { get; }

    private Bucket PrivateBucket(string id, StackSettings settings, bool versioned, LifecycleRule lifecycle) =>
        new(this, id, new BucketProps
        {
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,

            // SSE-S3 rather than KMS: S3 → SQS notifications cannot use the AWS-managed KMS key, and it costs nothing.
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            MinimumTLSVersion = 1.2,
            Versioned = versioned,
            LifecycleRules = [lifecycle],
            RemovalPolicy = settings.DataRemovalPolicy,
            AutoDeleteObjects = settings.DestroyData,
        });
}

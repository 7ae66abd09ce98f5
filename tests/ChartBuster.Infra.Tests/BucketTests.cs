using System.Text.Json;
using Amazon.CDK.Assertions;

namespace ChartBuster.Infra.Tests;

[Collection(SharedTemplates.Name)]
public sealed class BucketTests(SynthesizedTemplates templates)
{
    private static Dictionary<string, object> Props(params (string Key, object Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Four_buckets_block_all_public_access_and_encrypt_at_rest()
    {
        var template = templates.Default.Template;

        template.ResourceCountIs("AWS::S3::Bucket", 4);
        template.AllResourcesProperties("AWS::S3::Bucket", Match.ObjectLike(Props(
            ("PublicAccessBlockConfiguration", Props(("BlockPublicAcls", true), ("BlockPublicPolicy", true), ("IgnorePublicAcls", true), ("RestrictPublicBuckets", true))),
            ("BucketEncryption", Props(("ServerSideEncryptionConfiguration", new object[] { Props(("ServerSideEncryptionByDefault", Props(("SSEAlgorithm", "AES256")))) }))),
            ("OwnershipControls", Props(("Rules", new object[] { Props(("ObjectOwnership", "BucketOwnerEnforced")) }))))));
    }

    [Fact]
    public void No_bucket_is_public_by_policy_or_acl_or_website()
    {
        foreach (var (id, bucket) in templates.Default.Resources("AWS::S3::Bucket"))
        {
            Assert.False(bucket.TryGetProperty("AccessControl", out _), id);
            Assert.False(bucket.TryGetProperty("WebsiteConfiguration", out _), id);
        }

        foreach (var (id, policy) in templates.Default.Resources("AWS::S3::BucketPolicy"))
        {
            var logBucket = policy.GetProperty("Bucket").GetProperty("Ref").GetString()!.StartsWith("BucketsAccessLogs", StringComparison.Ordinal);
            foreach (var statement in policy.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray().Where(s => s.GetProperty("Effect").GetString() != "Deny"))
            {
                // Only AWS's log delivery may write, and only into the access-log bucket.
                Assert.True(logBucket, $"{id} allows something: {statement}");
                Assert.Contains(statement.GetProperty("Principal").GetProperty("Service").GetString(), LogDeliveryServices);
            }
        }
    }

    private static readonly string[] LogDeliveryServices = ["logging.s3.amazonaws.com", "delivery.logs.amazonaws.com"];

    [Theory]
    [InlineData("BucketsRaw", "s3/raw/")]
    [InlineData("BucketsReady", "s3/ready/")]
    [InlineData("BucketsArtifacts", "s3/artifacts/")]
    public void Every_data_bucket_writes_server_access_logs_to_the_log_bucket(string bucket, string prefix)
    {
        var logging = Bucket(templates.Default, bucket).GetProperty("LoggingConfiguration");

        Assert.StartsWith("BucketsAccessLogs", logging.GetProperty("DestinationBucketName").GetProperty("Ref").GetString(), StringComparison.Ordinal);
        Assert.Equal(prefix, logging.GetProperty("LogFilePrefix").GetString());
    }

    [Fact]
    public void Access_and_flow_logs_are_kept_a_year()
    {
        var logs = Bucket(templates.Default, "BucketsAccessLogs");
        var (_, flowLog) = templates.Default.One("AWS::EC2::FlowLog");

        Assert.False(logs.TryGetProperty("LoggingConfiguration", out _));
        Assert.Equal(365, Assert.Single(logs.GetProperty("LifecycleConfiguration").GetProperty("Rules").EnumerateArray()).GetProperty("ExpirationInDays").GetInt32());
        Assert.Equal("s3", flowLog.GetProperty("LogDestinationType").GetString());
        Assert.Equal("ALL", flowLog.GetProperty("TrafficType").GetString());
        Assert.Contains(templates.Default.Id("AWS::S3::Bucket", "BucketsAccessLogs"), flowLog.GetProperty("LogDestination").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bucket_refuses_requests_without_TLS_1_2()
    {
        var policies = templates.Default.Resources("AWS::S3::BucketPolicy").ToList();

        Assert.Equal(4, policies.Count);
        foreach (var (id, policy) in policies)
        {
            var statements = policy.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray().ToList();
            Assert.Contains(statements, s => s.GetProperty("Effect").GetString() == "Deny"
                && s.GetProperty("Condition").TryGetProperty("Bool", out var b) && b.GetProperty("aws:SecureTransport").GetString() == "false");
            Assert.Contains(statements, s => s.GetProperty("Effect").GetString() == "Deny"
                && s.GetProperty("Condition").TryGetProperty("NumericLessThan", out var n) && n.GetProperty("s3:TlsVersion").ToString() == "1.2");
            Assert.True(statements.Count >= 2, id);
        }
    }

    [Fact]
    public void Only_the_artifacts_bucket_is_versioned_and_its_old_versions_age_out()
    {
        var versioned = templates.Default.Resources("AWS::S3::Bucket")
            .Where(b => b.Properties.TryGetProperty("VersioningConfiguration", out var v) && v.GetProperty("Status").GetString() == "Enabled")
            .ToList();

        var artifacts = Assert.Single(versioned);
        Assert.StartsWith("BucketsArtifacts", artifacts.Id, StringComparison.Ordinal);
        var rule = Assert.Single(artifacts.Properties.GetProperty("LifecycleConfiguration").GetProperty("Rules").EnumerateArray());
        Assert.Equal(90, rule.GetProperty("NoncurrentVersionExpiration").GetProperty("NoncurrentDays").GetInt32());
        Assert.False(rule.TryGetProperty("ExpirationInDays", out _), "current models must never expire");
    }

    [Theory]
    [InlineData("BucketsRaw", 90, null)]
    [InlineData("BucketsReady", 180, "datasets/")]
    public void Raw_and_ready_data_expire_and_unfinished_uploads_are_aborted(string bucket, int days, string? prefix)
    {
        var (_, properties) = Assert.Single(templates.Default.Resources("AWS::S3::Bucket"), b => b.Id.StartsWith(bucket, StringComparison.Ordinal));

        var rule = properties.GetProperty("LifecycleConfiguration").GetProperty("Rules").EnumerateArray()
            .First(r => (r.TryGetProperty("Prefix", out var p) ? p.GetString() : null) == prefix);
        Assert.Equal(days, rule.GetProperty("ExpirationInDays").GetInt32());
        Assert.Equal(1, rule.GetProperty("AbortIncompleteMultipartUpload").GetProperty("DaysAfterInitiation").GetInt32());
        Assert.Equal(prefix, rule.TryGetProperty("Prefix", out var p) ? p.GetString() : null);
    }

    [Fact]
    public void Journey_records_expire_with_the_prepared_datasets_they_tell_about()
    {
        var (_, ready) = Assert.Single(templates.Default.Resources("AWS::S3::Bucket"), b => b.Id.StartsWith("BucketsReady", StringComparison.Ordinal));

        var rules = ready.GetProperty("LifecycleConfiguration").GetProperty("Rules").EnumerateArray()
            .ToDictionary(r => r.GetProperty("Prefix").GetString()!, r => r.GetProperty("ExpirationInDays").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["datasets/"] = 180, ["journeys/"] = 180 }, rules);
    }

    [Fact]
    public void Data_is_kept_when_the_stack_is_deleted_unless_destroy_is_asked_for()
    {
        var kept = templates.Default.Json.GetProperty("Resources").EnumerateObject().Where(r => r.Value.GetProperty("Type").GetString() == "AWS::S3::Bucket").ToList();
        var destroyed = templates.Customized.Json.GetProperty("Resources").EnumerateObject().Where(r => r.Value.GetProperty("Type").GetString() == "AWS::S3::Bucket").ToList();

        Assert.All(kept, b => Assert.Equal("Retain", b.Value.GetProperty("DeletionPolicy").GetString()));
        Assert.All(destroyed, b => Assert.Equal("Delete", b.Value.GetProperty("DeletionPolicy").GetString()));
        Assert.Empty(templates.Default.Resources("Custom::S3AutoDeleteObjects"));
        Assert.Equal(4, templates.Customized.Resources("Custom::S3AutoDeleteObjects").Count());
    }

    [Fact]
    public void Log_groups_keep_a_year_of_logs()
    {
        var groups = templates.Default.Resources("AWS::Logs::LogGroup").ToList();

        Assert.Equal(3, groups.Count);
        Assert.All(groups, g => Assert.Equal(365, g.Properties.GetProperty("RetentionInDays").GetInt32()));
    }

    internal static JsonElement Bucket(SynthesizedTemplate template, string prefix) =>
        Assert.Single(template.Resources("AWS::S3::Bucket"), b => b.Id.StartsWith(prefix, StringComparison.Ordinal)).Properties;
}

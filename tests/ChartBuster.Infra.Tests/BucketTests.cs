using System.Text.Json;
using Amazon.CDK.Assertions;

namespace ChartBuster.Infra.Tests;

[Collection(SharedTemplates.Name)]
public sealed class BucketTests(SynthesizedTemplates templates)
{
    private static Dictionary<string, object> Props(params (string Key, object Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Three_buckets_block_all_public_access_and_encrypt_at_rest()
    {
        var template = templates.Default.Template;

        template.ResourceCountIs("AWS::S3::Bucket", 3);
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
            foreach (var statement in policy.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray())
            {
                Assert.True(statement.GetProperty("Effect").GetString() == "Deny", $"{id} allows something: {statement}");
            }
        }
    }

    [Fact]
    public void Every_bucket_refuses_requests_without_TLS_1_2()
    {
        var policies = templates.Default.Resources("AWS::S3::BucketPolicy").ToList();

        Assert.Equal(3, policies.Count);
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
        Assert.Equal(3, templates.Customized.Resources("Custom::S3AutoDeleteObjects").Count());
    }

    [Fact]
    public void Log_groups_keep_a_month_of_logs()
    {
        var groups = templates.Default.Resources("AWS::Logs::LogGroup").ToList();

        Assert.Equal(3, groups.Count);
        Assert.All(groups, g => Assert.Equal(30, g.Properties.GetProperty("RetentionInDays").GetInt32()));
    }

    internal static JsonElement Bucket(SynthesizedTemplate template, string prefix) =>
        Assert.Single(template.Resources("AWS::S3::Bucket"), b => b.Id.StartsWith(prefix, StringComparison.Ordinal)).Properties;
}

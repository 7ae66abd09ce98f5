namespace ChartBuster.Infra.Tests;

/// <summary>Least privilege, granted only through grants: what each component may do, and what nobody may.</summary>
[Collection(SharedTemplates.Name)]
public sealed class PermissionTests(SynthesizedTemplates templates)
{
    private const string FunctionRole = "PreprocessRole";
    private const string TrainingRole = "TrainingWorkerQueueProcessingTaskDefTaskRole";
    private const string WebRole = "SiteServiceTaskDefTaskRole";

    /// <summary>Where AWS (or CDK's deploy-time notification handler) needs "*": ECR login and PutBucketNotification.</summary>
    private static readonly string[] WildcardAllowed = ["ecr:GetAuthorizationToken", "s3:PutBucketNotification"];

    private string Bucket(string name) => templates.Default.Id("AWS::S3::Bucket", $"Buckets{name}");

    private SortedSet<string> S3ActionsOn(string rolePrefix, string bucket) =>
        [.. templates.Default.StatementsOf(rolePrefix)
            .Where(s => s.Resource.ToString().Contains(Bucket(bucket), StringComparison.Ordinal))
            .SelectMany(s => s.Actions)];

    [Fact]
    public void No_role_may_delete_objects_or_use_s3_wildcards()
    {
        var statements = templates.Default.Statements().ToList();

        Assert.NotEmpty(statements);
        Assert.DoesNotContain(statements, s => s.Actions.Any(a => a.StartsWith("s3:Delete", StringComparison.Ordinal) || a is "s3:*" or "*"));
    }

    [Fact]
    public void Only_ECR_login_and_the_notification_handler_use_a_wildcard_resource()
    {
        var wildcards = templates.Default.Statements().Where(s => s.Resource.ToString() == "*").ToList();

        Assert.NotEmpty(wildcards);
        Assert.All(wildcards, s => Assert.Subset(WildcardAllowed.ToHashSet(), s.Actions.ToHashSet()));
        Assert.DoesNotContain(templates.Default.Statements(), s => s.Actions.Any(a => a.StartsWith("s3:", StringComparison.Ordinal) && a != "s3:PutBucketNotification") && s.Resource.ToString() == "*");
    }

    [Fact]
    public void The_function_reads_raw_and_writes_ready_and_nothing_else()
    {
        Assert.Equal(["s3:GetBucket*", "s3:GetObject*", "s3:List*"], S3ActionsOn(FunctionRole, "Raw"));
        Assert.Equal(
            ["s3:Abort*", "s3:GetBucket*", "s3:GetObject*", "s3:List*", "s3:PutObject", "s3:PutObjectLegalHold", "s3:PutObjectRetention", "s3:PutObjectTagging", "s3:PutObjectVersionTagging"],
            S3ActionsOn(FunctionRole, "Ready"));
        Assert.Empty(S3ActionsOn(FunctionRole, "Artifacts"));
        var other = templates.Default.StatementsOf(FunctionRole).SelectMany(s => s.Actions).Where(a => !a.StartsWith("s3:", StringComparison.Ordinal)).Order();
        Assert.Equal(["logs:CreateLogStream", "logs:PutLogEvents", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"], other);
    }

    [Fact]
    public void The_function_role_has_no_managed_policy()
    {
        var role = Assert.Single(templates.Default.Resources("AWS::IAM::Role"), r => r.Id.StartsWith(FunctionRole, StringComparison.Ordinal));

        Assert.False(role.Properties.TryGetProperty("ManagedPolicyArns", out _));
    }

    [Fact]
    public void Training_reads_ready_puts_its_journey_records_reads_and_puts_artifacts_and_consumes_its_queue()
    {
        Assert.Empty(S3ActionsOn(TrainingRole, "Raw"));
        Assert.Equal(
            ["s3:Abort*", "s3:GetBucket*", "s3:GetObject*", "s3:List*", "s3:PutObject", "s3:PutObjectLegalHold", "s3:PutObjectRetention", "s3:PutObjectTagging", "s3:PutObjectVersionTagging"],
            S3ActionsOn(TrainingRole, "Ready"));
        var readyPuts = templates.Default.StatementsOf(TrainingRole)
            .Where(s => s.Resource.ToString().Contains(Bucket("Ready"), StringComparison.Ordinal) && s.Actions.Contains("s3:PutObject")).ToList();
        var (_, journeys) = Assert.Single(readyPuts);
        Assert.Equal("/journeys/*", journeys.GetProperty("Fn::Join")[1][1].GetString());
        Assert.Equal(
            ["s3:Abort*", "s3:GetBucket*", "s3:GetObject*", "s3:List*", "s3:PutObject", "s3:PutObjectLegalHold", "s3:PutObjectRetention", "s3:PutObjectTagging", "s3:PutObjectVersionTagging"],
            S3ActionsOn(TrainingRole, "Artifacts"));
        var queue = templates.Default.Id("AWS::SQS::Queue", "TrainingQueue");
        var sqs = templates.Default.StatementsOf(TrainingRole).Where(s => s.Resource.ToString().Contains(queue, StringComparison.Ordinal)).SelectMany(s => s.Actions).Order();
        Assert.Equal(["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage"], sqs);
    }

    [Fact]
    public void Training_may_protect_only_tasks_of_its_own_cluster()
    {
        var (actions, resource) = Assert.Single(templates.Default.StatementsOf(TrainingRole), s => s.Actions.Any(a => a.StartsWith("ecs:", StringComparison.Ordinal)));

        Assert.Equal(["ecs:UpdateTaskProtection", "ecs:GetTaskProtection"], actions);
        var text = resource.ToString();
        Assert.Contains(":task/", text, StringComparison.Ordinal);
        Assert.Contains(templates.Default.Id("AWS::ECS::Cluster", "Cluster"), text, StringComparison.Ordinal);
    }

    /// <summary>Each statement of a role on the artifacts bucket: its actions and the object patterns it covers ("/models/*").</summary>
    private List<(string[] Actions, string[] Objects)> ArtifactStatements(string rolePrefix) =>
        [.. templates.Default.StatementsOf(rolePrefix)
            .Where(s => s.Resource.ToString().Contains(Bucket("Artifacts"), StringComparison.Ordinal))
            .Select(s => (s.Actions, Objects: System.Text.RegularExpressions.Regex.Matches(s.Resource.ToString(), "\"(/[^\"]*)\"").Select(m => m.Groups[1].Value).ToArray()))];

    [Fact]
    public void The_web_app_reads_models_and_its_key_ring_writes_only_the_key_ring_and_reads_of_ready_what_the_dataset_pages_show()
    {
        var statements = ArtifactStatements(WebRole);

        Assert.Empty(S3ActionsOn(WebRole, "Raw"));
        var puts = Assert.Single(statements, s => s.Actions.Contains("s3:PutObject"));
        Assert.Equal(["/web/data-protection/*"], puts.Objects);
        var reads = statements.Where(s => s.Actions.Contains("s3:GetObject*")).SelectMany(s => s.Objects).Order();
        Assert.Equal(["/models/*", "/web/data-protection/*"], reads);
        Assert.All(templates.Default.StatementsOf(WebRole), s => Assert.All(s.Actions, a => Assert.StartsWith("s3:", a, StringComparison.Ordinal)));

        var ready = templates.Default.StatementsOf(WebRole).Where(s => s.Resource.ToString().Contains(Bucket("Ready"), StringComparison.Ordinal)).ToList();
        Assert.Equal(2, ready.Count);
        var (_, objects) = Assert.Single(ready, s => s.Actions is ["s3:GetObject"]);
        Assert.Equal(["/datasets/*/rejects.csv", "/datasets/*/report.json", "/journeys/*"], ObjectPatterns(objects));
        var listing = Assert.Single(templates.Default.Json.GetProperty("Resources").EnumerateObject()
            .Where(r => r.Name.StartsWith(WebRole, StringComparison.Ordinal) && r.Value.GetProperty("Type").GetString() == "AWS::IAM::Policy")
            .SelectMany(r => r.Value.GetProperty("Properties").GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray()),
            s => s.GetProperty("Action").ToString() == "s3:ListBucket");
        Assert.Equal(["journeys/*"], SynthesizedTemplate.Strings(listing.GetProperty("Condition").GetProperty("StringLike").GetProperty("s3:prefix")));
        Assert.Equal(Bucket("Ready"), listing.GetProperty("Resource").GetProperty("Fn::GetAtt")[0].GetString());
    }

    /// <summary>The key patterns of a statement's object ARNs ({bucket ARN}/pattern), sorted.</summary>
    private static string[] ObjectPatterns(System.Text.Json.JsonElement resource) =>
        [.. resource.EnumerateArray().Select(r => r.GetProperty("Fn::Join")[1][1].GetString()!).Order(StringComparer.Ordinal)];

    [Fact]
    public void Only_the_web_app_may_read_or_write_the_key_ring()
    {
        var training = ArtifactStatements(TrainingRole).SelectMany(s => s.Objects).Distinct().Order();

        Assert.Equal(["/models/*", "/trained/*"], training);
        Assert.DoesNotContain("/*", ArtifactStatements(FunctionRole).SelectMany(s => s.Objects));
        var keyRingReaders = templates.Default.Resources("AWS::IAM::Policy")
            .Where(p => p.Properties.ToString().Contains("/web/data-protection/*", StringComparison.Ordinal))
            .Select(p => p.Id);
        Assert.All(keyRingReaders, id => Assert.StartsWith("SiteServiceTaskDefTaskRole", id, StringComparison.Ordinal));
    }

    [Fact]
    public void Deleting_objects_appears_only_with_removalPolicy_destroy_in_the_auto_delete_handler()
    {
        var deleting = templates.Customized.Json.GetProperty("Resources").EnumerateObject()
            .Where(r => r.Value.ToString().Contains("s3:DeleteObject", StringComparison.Ordinal))
            .Select(r => r.Value.GetProperty("Type").GetString())
            .ToList();

        Assert.NotEmpty(deleting);
        Assert.All(deleting, type => Assert.True(type is "Custom::CDKBucketDeployment" or "AWS::S3::BucketPolicy" or "AWS::IAM::Role" or "Custom::S3AutoDeleteObjects", type));
        Assert.DoesNotContain(templates.Default.Json.ToString(), "s3:DeleteObject", StringComparison.Ordinal);
    }
}

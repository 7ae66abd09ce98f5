using System.Text.Json;
using ChartBuster.Songs.Journeys;

namespace ChartBuster.Infra.Tests;

/// <summary>ChartBuster's events reach a person: the topic, its key and policies, the rules on journey records, the alarms, the subscription.</summary>
[Collection(SharedTemplates.Name)]
public sealed class NotificationTests(SynthesizedTemplates templates)
{
    private (string Id, JsonElement Properties) Topic => templates.Default.One("AWS::SNS::Topic");

    private (string Id, JsonElement Properties) Rule(string stage) =>
        Assert.Single(templates.Default.Resources("AWS::Events::Rule"), r => r.Properties.GetProperty("EventPattern").ToString().Contains($"/{stage}.json\"", StringComparison.Ordinal));

    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);

    [Fact]
    public void The_events_topic_is_encrypted_with_a_rotating_key_of_its_own()
    {
        var keyId = Topic.Properties.GetProperty("KmsMasterKeyId").GetProperty("Fn::GetAtt")[0].GetString();

        var (_, key) = Assert.Single(templates.Default.Resources("AWS::KMS::Key"), k => k.Id == keyId);
        Assert.True(key.GetProperty("EnableKeyRotation").GetBoolean());
        var services = key.GetProperty("KeyPolicy").GetProperty("Statement").EnumerateArray().Where(s => s.GetProperty("Principal").TryGetProperty("Service", out _)).ToList();
        var service = Assert.Single(services);
        Assert.Equal(["cloudwatch.amazonaws.com", "events.amazonaws.com"], SynthesizedTemplate.Strings(service.GetProperty("Principal").GetProperty("Service")).Order());
        Assert.Equal(["kms:Decrypt", "kms:GenerateDataKey*"], SynthesizedTemplate.Strings(service.GetProperty("Action")));
    }

    [Fact]
    public void Only_the_outcome_rules_and_this_accounts_alarms_may_publish_and_only_over_TLS()
    {
        var (_, policy) = templates.Default.One("AWS::SNS::TopicPolicy");
        var statements = policy.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray().ToList();

        var allows = statements.Where(s => s.GetProperty("Effect").GetString() == "Allow").ToList();
        Assert.Equal(2, allows.Count);
        Assert.All(allows, s => Assert.Equal("sns:Publish", s.GetProperty("Action").GetString()));
        var events = Assert.Single(allows, s => s.GetProperty("Principal").GetProperty("Service").GetString() == "events.amazonaws.com");
        var ruleIds = events.GetProperty("Condition").GetProperty("ArnEquals").GetProperty("aws:SourceArn").EnumerateArray().Select(a => a.GetProperty("Fn::GetAtt")[0].GetString()).Order();
        Assert.Equal(templates.Default.Resources("AWS::Events::Rule").Select(r => r.Id).Order(), ruleIds);
        var alarms = Assert.Single(allows, s => s.GetProperty("Principal").GetProperty("Service").GetString() == "cloudwatch.amazonaws.com");
        Assert.Contains(":alarm:*", Compact(alarms.GetProperty("Condition").GetProperty("ArnLike")), StringComparison.Ordinal);
        Assert.Equal("{\"Ref\":\"AWS::AccountId\"}", Compact(alarms.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:SourceAccount")));
        var tls = Assert.Single(statements, s => s.GetProperty("Effect").GetString() == "Deny");
        Assert.Equal("false", tls.GetProperty("Condition").GetProperty("Bool").GetProperty("aws:SecureTransport").GetString());
    }

    [Fact]
    public void The_ready_bucket_alone_sends_its_object_events_to_EventBridge()
    {
        var configurations = templates.Default.Resources("Custom::S3BucketNotifications")
            .ToDictionary(n => n.Properties.GetProperty("BucketName").GetProperty("Ref").GetString()![..12], n => n.Properties.GetProperty("NotificationConfiguration"));

        Assert.True(configurations["BucketsReady"].TryGetProperty("EventBridgeConfiguration", out _));
        Assert.False(configurations["BucketsRaw68"].TryGetProperty("EventBridgeConfiguration", out _));
    }

    [Theory]
    [InlineData("refused", "a song file was refused and will not train")]
    [InlineData("promoted", "a new model was promoted and now serves predictions")]
    [InlineData("gate-rejected", "a trained model was rejected by the quality gate; the serving model stays")]
    [InlineData("dead-lettered", "training failed on every attempt and the request was dead-lettered")]
    public void Each_outcome_record_created_in_the_ready_bucket_sends_a_sentence_to_the_topic(string stage, string headline)
    {
        var (_, rule) = Rule(stage);

        var pattern = rule.GetProperty("EventPattern");
        Assert.Equal(["aws.s3"], SynthesizedTemplate.Strings(pattern.GetProperty("source")));
        Assert.Equal(["Object Created"], SynthesizedTemplate.Strings(pattern.GetProperty("detail-type")));
        Assert.StartsWith("BucketsReady", pattern.GetProperty("detail").GetProperty("bucket").GetProperty("name")[0].GetProperty("Ref").GetString(), StringComparison.Ordinal);
        Assert.Equal($"[{{\"wildcard\":\"journeys/datasets/*/{stage}.json\"}}]", Compact(pattern.GetProperty("detail").GetProperty("object").GetProperty("key")));
        var target = Assert.Single(rule.GetProperty("Targets").EnumerateArray());
        Assert.Equal(Topic.Id, target.GetProperty("Arn").GetProperty("Ref").GetString());
        var transformer = target.GetProperty("InputTransformer");
        Assert.Equal("{\"key\":\"$.detail.object.key\",\"time\":\"$.time\"}", Compact(transformer.GetProperty("InputPathsMap")));
        var template = transformer.GetProperty("InputTemplate").GetProperty("Fn::Join")[1];
        Assert.Equal($"\"ChartBuster: {headline}. Record <key> at <time>. Details: http://", template[0].GetString());
        Assert.StartsWith("SiteServiceLB", template[1].GetProperty("Fn::GetAtt")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("/<key>\"", template[2].GetString());
        Assert.Equal(JourneyNotifications.All.Single(n => n.Stage == stage).KeyPattern, $"journeys/datasets/*/{stage}.json");
    }

    [Fact]
    public void The_dead_letter_alarm_and_the_function_failure_queue_alarm_notify_the_topic()
    {
        var failures = templates.Default.Id("AWS::SQS::Queue", "PreprocessFailures");
        var deadLetters = templates.Default.Id("AWS::SQS::Queue", "TrainingDeadLetters");

        foreach (var queue in new[] { failures, deadLetters })
        {
            var (_, alarm) = templates.Default.One("AWS::CloudWatch::Alarm", a => a.GetProperty("Dimensions").ToString().Contains(queue, StringComparison.Ordinal));
            Assert.Equal("ApproximateNumberOfMessagesVisible", alarm.GetProperty("MetricName").GetString());
            Assert.Equal(1, alarm.GetProperty("Threshold").GetDouble());
            Assert.Equal(Topic.Id, Assert.Single(alarm.GetProperty("AlarmActions").EnumerateArray()).GetProperty("Ref").GetString());
        }
    }

    [Fact]
    public void NotifyEmail_subscribes_the_address_and_nobody_is_subscribed_without_it()
    {
        Assert.Empty(templates.Default.Resources("AWS::SNS::Subscription"));

        var (_, subscription) = templates.Customized.One("AWS::SNS::Subscription");
        Assert.Equal("email", subscription.GetProperty("Protocol").GetString());
        Assert.Equal(SynthesizedTemplates.NotifyEmail, subscription.GetProperty("Endpoint").GetString());
    }

    [Fact]
    public void The_worker_knows_the_queues_redrive_limit_and_the_site_knows_the_ready_bucket()
    {
        var redrive = templates.Default.One("AWS::SQS::Queue", q => q.TryGetProperty("RedrivePolicy", out _)).Properties.GetProperty("RedrivePolicy");

        Assert.Equal($"{redrive.GetProperty("maxReceiveCount").GetInt32()}", Environment("TrainingWorker")["Worker__MaxReceiveCount"]);
        Assert.StartsWith("{\"Ref\":\"BucketsReady", Environment("SiteService")["CHARTBUSTER_READY_BUCKET"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_worker_bounds_the_datasets_it_trains_by_the_memory_of_its_own_task()
    {
        var (_, definition) = Assert.Single(templates.Default.Resources("AWS::ECS::TaskDefinition"), t => t.Id.StartsWith("TrainingWorker", StringComparison.Ordinal));

        Assert.Equal(definition.GetProperty("Memory").GetString(), Environment("TrainingWorker")["Worker__TaskMemoryMiB"]);
        Assert.Equal($"{Training.TrainingPipeline.MemoryMiB}", Environment("TrainingWorker")["Worker__TaskMemoryMiB"]);
    }

    private Dictionary<string, string> Environment(string taskDefinitionPrefix)
    {
        var (_, definition) = Assert.Single(templates.Default.Resources("AWS::ECS::TaskDefinition"), t => t.Id.StartsWith(taskDefinitionPrefix, StringComparison.Ordinal));
        return Assert.Single(definition.GetProperty("ContainerDefinitions").EnumerateArray()).GetProperty("Environment").EnumerateArray()
            .ToDictionary(e => e.GetProperty("Name").GetString()!, e => e.GetProperty("Value").ValueKind == JsonValueKind.String ? e.GetProperty("Value").GetString()! : Compact(e.GetProperty("Value")));
    }
}

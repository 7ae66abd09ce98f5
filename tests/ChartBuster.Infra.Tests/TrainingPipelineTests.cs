using System.Text.Json;

namespace ChartBuster.Infra.Tests;

[Collection(SharedTemplates.Name)]
public sealed class TrainingPipelineTests(SynthesizedTemplates templates)
{
    private (string Id, JsonElement Properties) Queue => templates.Default.One("AWS::SQS::Queue", q => q.TryGetProperty("RedrivePolicy", out _));

    private (string Id, JsonElement Properties) Service => templates.Default.One("AWS::ECS::Service", s => !s.TryGetProperty("LoadBalancers", out _));

    [Fact]
    public void Only_ready_csv_under_datasets_in_the_ready_bucket_is_sent_to_the_training_queue()
    {
        var (_, notifications) = templates.Default.One("Custom::S3BucketNotifications", n => n.GetProperty("BucketName").GetProperty("Ref").GetString()!.StartsWith("BucketsReady", StringComparison.Ordinal));

        var configuration = notifications.GetProperty("NotificationConfiguration");
        Assert.False(configuration.TryGetProperty("LambdaFunctionConfigurations", out _));
        var target = Assert.Single(configuration.GetProperty("QueueConfigurations").EnumerateArray());
        Assert.Equal(["s3:ObjectCreated:*"], SynthesizedTemplate.Strings(target.GetProperty("Events")));
        Assert.Equal(Queue.Id, target.GetProperty("QueueArn").GetProperty("Fn::GetAtt")[0].GetString());
        var rules = target.GetProperty("Filter").GetProperty("Key").GetProperty("FilterRules").EnumerateArray()
            .Select(r => $"{r.GetProperty("Name").GetString()}={r.GetProperty("Value").GetString()}").Order();
        Assert.Equal(["prefix=datasets/", "suffix=/ready.csv"], rules);
    }

    [Fact]
    public void The_queue_is_encrypted_TLS_only_and_dead_letters_after_three_receives_into_a_longer_lived_queue()
    {
        var (id, queue) = Queue;

        Assert.True(queue.GetProperty("SqsManagedSseEnabled").GetBoolean());
        Assert.Equal(300, queue.GetProperty("VisibilityTimeout").GetInt32());
        var redrive = queue.GetProperty("RedrivePolicy");
        Assert.Equal(3, redrive.GetProperty("maxReceiveCount").GetInt32());
        var deadId = redrive.GetProperty("deadLetterTargetArn").GetProperty("Fn::GetAtt")[0].GetString();
        var (_, dead) = Assert.Single(templates.Default.Resources("AWS::SQS::Queue"), q => q.Id == deadId);
        Assert.True(dead.GetProperty("SqsManagedSseEnabled").GetBoolean());
        Assert.True(dead.GetProperty("MessageRetentionPeriod").GetInt32() > queue.GetProperty("MessageRetentionPeriod").GetInt32());
        foreach (var queueId in new[] { id, deadId })
        {
            var (_, policy) = Assert.Single(templates.Default.Resources("AWS::SQS::QueuePolicy"), p => p.Properties.GetProperty("Queues").ToString().Contains(queueId!, StringComparison.Ordinal) && p.Properties.ToString().Contains("aws:SecureTransport", StringComparison.Ordinal));
            Assert.Contains("\"Deny\"", policy.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Dead_letters_raise_an_alarm_at_the_first_message()
    {
        var deadId = Queue.Properties.GetProperty("RedrivePolicy").GetProperty("deadLetterTargetArn").GetProperty("Fn::GetAtt")[0].GetString();

        var (_, alarm) = templates.Default.One("AWS::CloudWatch::Alarm", a => a.GetProperty("Dimensions").ToString().Contains(deadId!, StringComparison.Ordinal));
        Assert.Equal("ApproximateNumberOfMessagesVisible", alarm.GetProperty("MetricName").GetString());
        Assert.Equal("GreaterThanOrEqualToThreshold", alarm.GetProperty("ComparisonOperator").GetString());
        Assert.Equal(1, alarm.GetProperty("Threshold").GetDouble());
        Assert.Equal("notBreaching", alarm.GetProperty("TreatMissingData").GetString());
    }

    [Fact]
    public void The_worker_service_runs_no_task_when_idle_and_at_most_one()
    {
        Assert.Equal(0, Service.Properties.GetProperty("DesiredCount").GetInt32());
        var (_, target) = templates.Default.One("AWS::ApplicationAutoScaling::ScalableTarget", t => t.GetProperty("ResourceId").ToString().Contains(Service.Id, StringComparison.Ordinal));
        Assert.Equal(0, target.GetProperty("MinCapacity").GetInt32());
        Assert.Equal(1, target.GetProperty("MaxCapacity").GetInt32());
    }

    [Fact]
    public void One_visible_message_starts_a_task_within_a_minute_and_an_empty_queue_scales_in()
    {
        var queueName = Queue.Id;
        var alarms = templates.Default.Resources("AWS::CloudWatch::Alarm")
            .Where(a => a.Properties.GetProperty("Dimensions").ToString().Contains(queueName, StringComparison.Ordinal))
            .ToDictionary(a => a.Properties.GetProperty("ComparisonOperator").GetString()!, a => a.Properties);

        var up = alarms["GreaterThanOrEqualToThreshold"];
        Assert.Equal("ApproximateNumberOfMessagesVisible", up.GetProperty("MetricName").GetString());
        Assert.Equal(1, up.GetProperty("Threshold").GetDouble());
        Assert.Equal(60, up.GetProperty("Period").GetInt32());
        var down = alarms["LessThanOrEqualToThreshold"];
        Assert.Equal(0, down.GetProperty("Threshold").GetDouble());
        Assert.Equal(1, Step(up).GetProperty("ScalingAdjustment").GetInt32());
        Assert.Equal(0, Step(up).GetProperty("MetricIntervalLowerBound").GetDouble());
        Assert.Equal(-1, Step(down).GetProperty("ScalingAdjustment").GetInt32());
    }

    [Fact]
    public void No_CPU_scaling_can_scale_in_a_training_task()
    {
        var policies = templates.Default.Resources("AWS::ApplicationAutoScaling::ScalingPolicy")
            .Where(p => p.Id.StartsWith("TrainingWorker", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, policies.Count);
        Assert.All(policies, p => Assert.Equal("StepScaling", p.Properties.GetProperty("PolicyType").GetString()));
    }

    [Fact]
    public void The_worker_gets_its_configuration_logs_to_CloudWatch_and_is_sized_for_training()
    {
        var taskDefinitionId = Service.Properties.GetProperty("TaskDefinition").GetProperty("Ref").GetString();
        var (_, definition) = Assert.Single(templates.Default.Resources("AWS::ECS::TaskDefinition"), t => t.Id == taskDefinitionId);

        Assert.Equal("2048", definition.GetProperty("Cpu").GetString());
        Assert.Equal("8192", definition.GetProperty("Memory").GetString());
        Assert.Equal("X86_64", definition.GetProperty("RuntimePlatform").GetProperty("CpuArchitecture").GetString());
        var container = Assert.Single(definition.GetProperty("ContainerDefinitions").EnumerateArray());
        Assert.Equal("awslogs", container.GetProperty("LogConfiguration").GetProperty("LogDriver").GetString());
        var names = container.GetProperty("Environment").EnumerateArray().Select(e => e.GetProperty("Name").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "CHARTBUSTER_READY_BUCKET", "CHARTBUSTER_ARTIFACTS_BUCKET", "CHARTBUSTER_TRAINING_QUEUE_URL" }, names);
    }

    [Fact]
    public void The_cluster_has_Container_Insights()
    {
        var (_, cluster) = templates.Default.One("AWS::ECS::Cluster");

        var setting = Assert.Single(cluster.GetProperty("ClusterSettings").EnumerateArray());
        Assert.Equal("containerInsights", setting.GetProperty("Name").GetString());
        Assert.Equal("enabled", setting.GetProperty("Value").GetString());
    }

    private JsonElement Step(JsonElement alarm)
    {
        var policyId = alarm.GetProperty("AlarmActions")[0].GetProperty("Ref").GetString();
        var (_, policy) = Assert.Single(templates.Default.Resources("AWS::ApplicationAutoScaling::ScalingPolicy"), p => p.Id == policyId);
        return Assert.Single(policy.GetProperty("StepScalingPolicyConfiguration").GetProperty("StepAdjustments").EnumerateArray());
    }
}

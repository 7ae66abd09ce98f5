using System.Text.Json;

namespace ChartBuster.Infra.Tests;

[Collection(SharedTemplates.Name)]
public sealed class PreprocessFunctionTests(SynthesizedTemplates templates)
{
    private JsonElement Function => templates.Default.One("AWS::Lambda::Function", f => f.GetProperty("Handler").GetString() == "bootstrap").Properties;

    [Fact]
    public void Runs_the_AOT_bootstrap_on_provided_al2023_sized_for_large_files()
    {
        Assert.Equal("provided.al2023", Function.GetProperty("Runtime").GetString());
        Assert.Equal(["x86_64"], SynthesizedTemplate.Strings(Function.GetProperty("Architectures")));
        Assert.Equal(1769, Function.GetProperty("MemorySize").GetInt32());
        Assert.Equal(900, Function.GetProperty("Timeout").GetInt32());
        Assert.Equal(5, Function.GetProperty("ReservedConcurrentExecutions").GetInt32());
    }

    [Fact]
    public void Is_configured_by_the_environment_variables_of_the_design()
    {
        var variables = Function.GetProperty("Environment").GetProperty("Variables");

        Assert.Equal(templates.Default.Id("AWS::S3::Bucket", "BucketsRaw"), variables.GetProperty("CHARTBUSTER_RAW_BUCKET").GetProperty("Ref").GetString());
        Assert.Equal(templates.Default.Id("AWS::S3::Bucket", "BucketsReady"), variables.GetProperty("CHARTBUSTER_READY_BUCKET").GetProperty("Ref").GetString());
        Assert.Equal("0.2", variables.GetProperty("CHARTBUSTER_MAX_REJECTED_SHARE").GetString());
    }

    [Fact]
    public void Logs_to_its_own_group_kept_a_year()
    {
        var group = Function.GetProperty("LoggingConfig").GetProperty("LogGroup").GetProperty("Ref").GetString();

        var (_, properties) = Assert.Single(templates.Default.Resources("AWS::Logs::LogGroup"), g => g.Id == group);
        Assert.Equal(365, properties.GetProperty("RetentionInDays").GetInt32());
    }

    [Fact]
    public void Events_it_failed_on_after_two_retries_go_to_an_encrypted_queue()
    {
        var (_, config) = templates.Default.One("AWS::Lambda::EventInvokeConfig");

        Assert.Equal(2, config.GetProperty("MaximumRetryAttempts").GetInt32());
        Assert.Equal(21_600, config.GetProperty("MaximumEventAgeInSeconds").GetInt32());
        var failures = config.GetProperty("DestinationConfig").GetProperty("OnFailure").GetProperty("Destination").GetProperty("Fn::GetAtt")[0].GetString();
        var (_, queue) = Assert.Single(templates.Default.Resources("AWS::SQS::Queue"), q => q.Id == failures);
        Assert.True(queue.GetProperty("SqsManagedSseEnabled").GetBoolean());
    }

    [Fact]
    public void Every_kind_of_ObjectCreated_for_csv_and_csv_gz_in_the_raw_bucket_invokes_it_and_nothing_else_does()
    {
        var (_, notifications) = templates.Default.One("Custom::S3BucketNotifications", n => n.GetProperty("BucketName").GetProperty("Ref").GetString()!.StartsWith("BucketsRaw", StringComparison.Ordinal));

        var configurations = notifications.GetProperty("NotificationConfiguration");
        Assert.False(configurations.TryGetProperty("QueueConfigurations", out _));
        var filters = configurations.GetProperty("LambdaFunctionConfigurations").EnumerateArray().Select(c =>
        {
            Assert.Equal(["s3:ObjectCreated:*"], SynthesizedTemplate.Strings(c.GetProperty("Events")));
            Assert.StartsWith("PreprocessFunction", c.GetProperty("LambdaFunctionArn").GetProperty("Fn::GetAtt")[0].GetString(), StringComparison.Ordinal);
            var rule = Assert.Single(c.GetProperty("Filter").GetProperty("Key").GetProperty("FilterRules").EnumerateArray());
            return $"{rule.GetProperty("Name").GetString()}={rule.GetProperty("Value").GetString()}";
        }).Order();
        Assert.Equal(["suffix=.csv", "suffix=.csv.gz"], filters);
    }

    [Fact]
    public void Only_S3_of_this_account_may_invoke_it_for_the_raw_bucket()
    {
        var (_, permission) = templates.Default.One("AWS::Lambda::Permission");

        Assert.Equal("s3.amazonaws.com", permission.GetProperty("Principal").GetString());
        Assert.Equal("AWS::AccountId", permission.GetProperty("SourceAccount").GetProperty("Ref").GetString());
        Assert.Contains(templates.Default.Id("AWS::S3::Bucket", "BucketsRaw"), permission.GetProperty("SourceArn").ToString(), StringComparison.Ordinal);
    }
}

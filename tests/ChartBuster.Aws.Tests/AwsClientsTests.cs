using System.Diagnostics;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ChartBuster.Aws;

namespace ChartBuster.Aws.Tests;

/// <summary>
/// The one client factory: its clients reach the emulator the way the services do (endpoint, path style, keys from the
/// environment), and the retries and timeouts of a service's <see cref="AwsCallPolicy"/> are what the SDK does when S3
/// or SQS misbehaves, seen through a proxy that injects the faults.
/// </summary>
public sealed class AwsClientsTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private static string? InRegion(string name) => name == "AWS_REGION" ? "eu-west-1" : null;

    private static IAmazonS3 S3Through(FaultyProxy proxy, AwsCallPolicy policy) =>
        AwsClients.S3(name => proxy.Environment.GetValueOrDefault(name), policy);

    [Fact]
    public async Task A_throttled_request_is_retried_by_the_sdk_and_the_call_succeeds()
    {
        var bucket = await emulator.CreateBucketAsync("retry");
        await using var proxy = await FaultyProxy.StartAsync(emulator.Endpoint);
        using var s3 = S3Through(proxy, new AwsCallPolicy { MaxAttempts = 3 });
        proxy.Inject(new Fault("PUT", "/throttled.json", FaultKind.ServiceUnavailable, Times: 2));

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "throttled.json", ContentBody = "{}" });

        Assert.Equal(2, proxy.Count("fault:ServiceUnavailable"));
        Assert.Equal(1, proxy.Count("/throttled.json -> 200"));
    }

    [Fact]
    public async Task A_call_gives_up_after_the_attempts_of_its_policy()
    {
        var bucket = await emulator.CreateBucketAsync("retry");
        await using var proxy = await FaultyProxy.StartAsync(emulator.Endpoint);
        using var s3 = S3Through(proxy, new AwsCallPolicy { MaxAttempts = 2 });
        proxy.Inject(new Fault("PUT", "/down.json", FaultKind.ServiceUnavailable));

        var e = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "down.json", ContentBody = "{}" }));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
        Assert.Equal(2, proxy.Count("fault:ServiceUnavailable"));
    }

    [Fact]
    public async Task A_request_that_never_answers_times_out_after_the_policy_timeout_and_is_retried()
    {
        var bucket = await emulator.CreateBucketAsync("retry");
        await emulator.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "slow.json", ContentBody = "{\"ok\":true}" });
        await using var proxy = await FaultyProxy.StartAsync(emulator.Endpoint);
        using var s3 = S3Through(proxy, new AwsCallPolicy { MaxAttempts = 2, TimeoutSeconds = 1 });
        proxy.Inject(new Fault("GET", "/slow.json", FaultKind.Hang, Times: 1));
        var clock = Stopwatch.StartNew();

        using var response = await s3.GetObjectAsync(bucket, "slow.json");

        Assert.Equal(HttpStatusCode.OK, response.HttpStatusCode);
        Assert.Equal(1, proxy.Count("fault:Hang"));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Sqs_calls_follow_the_same_policy()
    {
        var (queueUrl, _) = await emulator.CreateQueueAsync("retry", 30);
        await using var proxy = await FaultyProxy.StartAsync(emulator.Endpoint);
        using var sqs = AwsClients.Sqs(name => proxy.Environment.GetValueOrDefault(name), new AwsCallPolicy { MaxAttempts = 3 });
        proxy.Inject(new Fault("POST", "/", FaultKind.ServiceUnavailable, Times: 2));

        await sqs.SendMessageAsync(queueUrl, "hello");

        Assert.Equal(2, proxy.Count("fault:ServiceUnavailable"));
        Assert.Equal("hello", Assert.Single((await emulator.Sqs.ReceiveMessageAsync(queueUrl)).Messages).Body);
    }

    [Fact]
    public void Each_service_policy_becomes_the_sdk_standard_retry_mode_with_its_bounds()
    {
        using var s3 = AwsClients.S3(InRegion, AwsCallPolicy.TrainingWorker());
        using var sqs = AwsClients.Sqs(InRegion, AwsCallPolicy.PredictionSite());

        Assert.Equal((RequestRetryMode.Standard, 4, TimeSpan.FromSeconds(120)), (s3.Config.RetryMode, s3.Config.MaxErrorRetry, s3.Config.Timeout));
        Assert.Equal((RequestRetryMode.Standard, 2, TimeSpan.FromSeconds(20)), (sqs.Config.RetryMode, sqs.Config.MaxErrorRetry, sqs.Config.Timeout));
        Assert.Equal(TimeSpan.FromSeconds(5), s3.Config.ConnectTimeout);
    }

    [Fact]
    public void Without_an_endpoint_the_clients_address_aws_itself()
    {
        using var s3 = AwsClients.S3(InRegion, AwsCallPolicy.Tools());

        Assert.Null(s3.Config.ServiceURL);
        Assert.Equal(Amazon.RegionEndpoint.EUWest1, s3.Config.RegionEndpoint);
        Assert.False(((AmazonS3Config)s3.Config).ForcePathStyle);
    }

    [Fact]
    public void With_an_endpoint_the_clients_address_it_path_style_signed_for_the_region()
    {
        var environment = new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:4566", ["AWS_REGION"] = "eu-west-1" };

        using var s3 = AwsClients.S3(environment.GetValueOrDefault, AwsCallPolicy.Tools());

        Assert.StartsWith("http://127.0.0.1:4566", s3.Config.ServiceURL, StringComparison.Ordinal);
        Assert.True(((AmazonS3Config)s3.Config).ForcePathStyle);
        Assert.Equal("eu-west-1", s3.Config.AuthenticationRegion);
    }
}

using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;

namespace ChartBuster.Aws;

/// <summary>
/// Every S3 and SQS client of ChartBuster, configured from the environment variables of DESIGN.md and one
/// <see cref="AwsCallPolicy"/>. AWS_ENDPOINT_URL set means an emulator (one endpoint for both services, path-style S3,
/// signed for AWS_REGION or us-east-1; without it, the region AWS_REGION names); keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN,
/// which Lambda sets for the function's role) when set, else the SDK's default chain (the ECS task role in AWS).
/// </summary>
public static class AwsClients
{
    public static IAmazonS3 S3(Func<string, string?> variable, AwsCallPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var config = Configure(new AmazonS3Config(), variable, policy);
        config.ForcePathStyle = Endpoint(variable) is not null;
        return Credentials(variable) is { } credentials ? new AmazonS3Client(credentials, config) : new AmazonS3Client(config);
    }

    public static IAmazonSQS Sqs(Func<string, string?> variable, AwsCallPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var config = Configure(new AmazonSQSConfig(), variable, policy);
        return Credentials(variable) is { } credentials ? new AmazonSQSClient(credentials, config) : new AmazonSQSClient(config);
    }

    private static T Configure<T>(T config, Func<string, string?> variable, AwsCallPolicy policy)
        where T : ClientConfig
    {
        ArgumentNullException.ThrowIfNull(policy);
        config.RetryMode = RequestRetryMode.Standard;
        config.MaxErrorRetry = policy.MaxAttempts - 1;
        config.Timeout = TimeSpan.FromSeconds(policy.TimeoutSeconds);
        config.ConnectTimeout = TimeSpan.FromSeconds(policy.ConnectTimeoutSeconds);
        var region = variable("AWS_REGION") is { Length: > 0 } named ? named : null;
        if (Endpoint(variable) is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else if (region is not null)
        {
            // Else the SDK finds the region itself (the process environment, the profile, instance metadata).
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return config;
    }

    private static string? Endpoint(Func<string, string?> variable) =>
        variable("AWS_ENDPOINT_URL") is { Length: > 0 } endpoint ? endpoint : null;

    private static AWSCredentials? Credentials(Func<string, string?> variable)
    {
        if (variable("AWS_ACCESS_KEY_ID") is not { Length: > 0 } key || variable("AWS_SECRET_ACCESS_KEY") is not { Length: > 0 } secret)
        {
            return null;
        }

        return variable("AWS_SESSION_TOKEN") is { Length: > 0 } token ? new SessionAWSCredentials(key, secret, token) : new BasicAWSCredentials(key, secret);
    }
}

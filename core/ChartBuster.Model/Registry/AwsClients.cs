using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;

namespace ChartBuster.Model.Registry;

/// <summary>
/// S3 and SQS clients from the environment variables of DESIGN.md: AWS_ENDPOINT_URL set means an
/// emulator (path-style S3, one endpoint for both); keys from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY when
/// set, else the SDK's default chain (the ECS task role in AWS).
/// </summary>
public static class AwsClients
{
    public static IAmazonS3 S3(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var config = new AmazonS3Config();
        if (Endpoint(variable) is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = variable("AWS_REGION") ?? "us-east-1";
        }

        return Credentials(variable) is { } credentials ? new AmazonS3Client(credentials, config) : new AmazonS3Client(config);
    }

    public static IAmazonSQS Sqs(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var config = new AmazonSQSConfig();
        if (Endpoint(variable) is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = variable("AWS_REGION") ?? "us-east-1";
        }

        return Credentials(variable) is { } credentials ? new AmazonSQSClient(credentials, config) : new AmazonSQSClient(config);
    }

    private static string? Endpoint(Func<string, string?> variable) =>
        variable("AWS_ENDPOINT_URL") is { Length: > 0 } endpoint ? endpoint : null;

    private static BasicAWSCredentials? Credentials(Func<string, string?> variable) =>
        variable("AWS_ACCESS_KEY_ID") is { Length: > 0 } key && variable("AWS_SECRET_ACCESS_KEY") is { Length: > 0 } secret
            ? new BasicAWSCredentials(key, secret)
            : null;
}

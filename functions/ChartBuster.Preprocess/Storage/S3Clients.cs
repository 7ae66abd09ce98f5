using Amazon.Runtime;
using Amazon.S3;

namespace ChartBuster.Preprocess.Storage;

/// <summary>
/// The S3 client as DESIGN.md configures it from environment variables: AWS_ENDPOINT_URL set means an
/// emulator (path-style addressing); AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, which
/// Lambda sets for the function's role, are used when present, else the SDK's default chain.
/// </summary>
public static class S3Clients
{
    public static IAmazonS3 FromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var config = new AmazonS3Config();
        var endpoint = variable("AWS_ENDPOINT_URL");
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = variable("AWS_REGION") ?? "us-east-1";
        }

        var accessKey = variable("AWS_ACCESS_KEY_ID");
        var secretKey = variable("AWS_SECRET_ACCESS_KEY");
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
        {
            return new AmazonS3Client(config);
        }

        var sessionToken = variable("AWS_SESSION_TOKEN");
        AWSCredentials credentials = string.IsNullOrEmpty(sessionToken)
            ? new BasicAWSCredentials(accessKey, secretKey)
            : new SessionAWSCredentials(accessKey, secretKey, sessionToken);
        return new AmazonS3Client(credentials, config);
    }
}

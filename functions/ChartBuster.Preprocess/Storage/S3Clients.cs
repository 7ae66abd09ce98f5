using Amazon.S3;

namespace ChartBuster.Preprocess.Storage;

/// <summary>The S3 client as DESIGN.md configures it: AWS_ENDPOINT_URL set means an emulator, path-style.</summary>
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

        return new AmazonS3Client(config);
    }
}

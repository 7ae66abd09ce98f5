using System.Diagnostics;
using System.Text.Json;
using Amazon.S3;
using Amazon.Runtime;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Xunit;

namespace ChartBuster.Testing;

/// <summary>
/// Starts the S3/SQS emulator (infra/local/emulator.mjs on the node 22 from npm) on a free loopback
/// port for the tests of one class, with its objects in a temporary folder, and stops it afterwards.
/// </summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private Process? _process;
    private string _storage = "";

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1");

    public IAmazonS3 S3 { get; private set; } = null!;

    public IAmazonSQS Sqs { get; private set; } = null!;

    /// <summary>The environment a process needs to use this emulator, as DESIGN.md names it.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["AWS_ENDPOINT_URL"] = Endpoint.ToString(),
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
    };

    public async Task InitializeAsync()
    {
        var node = Path.Combine(RepositoryPaths.Root, "node_modules", ".bin", "node");
        if (!File.Exists(node))
        {
            throw new InvalidOperationException($"{node} is missing: run `npm ci` at the repository root (./test.sh does).");
        }

        _storage = Directory.CreateTempSubdirectory("chartbuster-s3-").FullName;
        var start = new ProcessStartInfo(node, ["--no-warnings", Path.Combine(RepositoryPaths.Root, "infra", "local", "emulator.mjs")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.Environment["FAUXQS_PORT"] = "0";
        start.Environment["FAUXQS_S3_STORAGE_DIR"] = _storage;
        _process = Process.Start(start) ?? throw new InvalidOperationException("The emulator did not start.");
        var firstLine = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
            ?? throw new InvalidOperationException($"The emulator exited: {await _process.StandardError.ReadToEndAsync()}");
        var port = JsonDocument.Parse(firstLine).RootElement.GetProperty("port").GetInt32();
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        var credentials = new BasicAWSCredentials("test", "test");
        S3 = new AmazonS3Client(credentials, new AmazonS3Config { ServiceURL = Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        Sqs = new AmazonSQSClient(credentials, new AmazonSQSConfig { ServiceURL = Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
    }

    /// <summary>A queue and its dead-letter queue (after <paramref name="maxReceives"/> receives), as the CDK stack sets them up.</summary>
    public async Task<(string QueueUrl, string DeadLetterUrl)> CreateQueueAsync(string prefix, int visibilityTimeoutSeconds, int maxReceives = 3)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var dead = await Sqs.CreateQueueAsync($"{prefix}-dlq-{suffix}");
        var deadArn = (await Sqs.GetQueueAttributesAsync(dead.QueueUrl, ["QueueArn"])).QueueARN;
        var queue = await Sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = $"{prefix}-{suffix}",
            Attributes = new Dictionary<string, string>
            {
                ["VisibilityTimeout"] = visibilityTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["RedrivePolicy"] = $"{{\"deadLetterTargetArn\":\"{deadArn}\",\"maxReceiveCount\":\"{maxReceives}\"}}",
            },
        });
        return (queue.QueueUrl, dead.QueueUrl);
    }

    public async Task<string> CreateBucketAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        await S3.PutBucketAsync(name);
        return name;
    }

    public async Task<List<S3Object>> ListAsync(string bucket, string prefix = "")
    {
        var response = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix });
        return response.S3Objects ?? [];
    }

    public async Task<string> ReadTextAsync(string bucket, string key)
    {
        using var response = await S3.GetObjectAsync(bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    public async Task DisposeAsync()
    {
        S3?.Dispose();
        Sqs?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        if (Directory.Exists(_storage))
        {
            Directory.Delete(_storage, recursive: true);
        }
    }
}

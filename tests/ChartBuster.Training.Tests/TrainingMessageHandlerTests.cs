using ChartBuster.Model.Registry;
using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using ChartBuster.Model;
using ChartBuster.Training.Registry;
using ChartBuster.Training.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace ChartBuster.Training.Tests;

/// <summary>The handler at the SQS and S3 seams: what it deletes, when, and what it writes first.</summary>
public class TrainingMessageHandlerTests
{
    private const string Artifacts = "artifacts";
    private const string Ready = "ready";
    private readonly Mock<IAmazonSQS> _sqs = new();
    private readonly Mock<IAmazonS3> _s3 = new();
    private readonly List<string> _calls = [];
    private readonly Dictionary<string, byte[]> _stored = [];

    public TrainingMessageHandlerTests()
    {
        _sqs.Setup(s => s.DeleteMessageAsync(It.IsAny<DeleteMessageRequest>(), It.IsAny<CancellationToken>()))
            .Callback((DeleteMessageRequest r, CancellationToken _) => Record($"delete {r.ReceiptHandle}"))
            .ReturnsAsync(new DeleteMessageResponse());
        _sqs.Setup(s => s.ChangeMessageVisibilityAsync(It.IsAny<ChangeMessageVisibilityRequest>(), It.IsAny<CancellationToken>()))
            .Callback((ChangeMessageVisibilityRequest r, CancellationToken _) => Record($"visibility {r.VisibilityTimeout}"))
            .ReturnsAsync(new ChangeMessageVisibilityResponse());
        _s3.Setup(s => s.PutObjectAsync(It.IsAny<PutObjectRequest>(), It.IsAny<CancellationToken>()))
            .Callback((PutObjectRequest r, CancellationToken _) =>
            {
                using var copy = new MemoryStream();
                r.InputStream.CopyTo(copy);
                _stored[r.Key] = copy.ToArray();
                Record($"put {r.Key}");
            })
            .ReturnsAsync(new PutObjectResponse());
        _s3.Setup(s => s.GetObjectAsync(Artifacts, It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string _, string key, CancellationToken _) => _stored.TryGetValue(key, out var bytes)
                ? Task.FromResult(new GetObjectResponse { ResponseStream = new MemoryStream(bytes) })
                : Task.FromException<GetObjectResponse>(new AmazonS3Exception("missing", ErrorType.Sender, "NoSuchKey", "r", HttpStatusCode.NotFound)));
    }

    private void Record(string call)
    {
        lock (_calls)
        {
            _calls.Add(call);
        }
    }

    private TrainingMessageHandler Handler()
    {
        var options = Options.Create(new WorkerOptions { QueueUrl = "queue", ArtifactsBucket = Artifacts, HeartbeatSeconds = 60, RetryDelaySeconds = 7 });
        var registry = new ModelRegistry(_s3.Object, Artifacts);
        var job = new TrainingJob(registry, new QualityGate(new GateOptions()), new TrainingOptions { Candidates = ModelCandidate.Quick }, TimeProvider.System, NullLogger<TrainingJob>.Instance);
        return new TrainingMessageHandler(_sqs.Object, _s3.Object, registry, job, options, TimeProvider.System, NullLogger<TrainingMessageHandler>.Instance);
    }

    private static Message MessageFor(string key) => new()
    {
        MessageId = "m-1",
        ReceiptHandle = "receipt-1",
        Body = Encoding.UTF8.GetString(S3Notification.For(Ready, key)),
    };

    private void ServeReadyFile(string key, byte[] content) =>
        _s3.Setup(s => s.GetObjectAsync(Ready, key, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new GetObjectResponse { ResponseStream = new MemoryStream(content) });

    [Fact]
    public async Task Deletes_an_s3_test_event_without_any_other_work()
    {
        var message = new Message { MessageId = "t", ReceiptHandle = "receipt-t", Body = "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"ready\"}" };

        var outcome = await Handler().HandleAsync(message, CancellationToken.None);

        Assert.Equal(MessageOutcome.TestEvent, outcome);
        Assert.Equal(["delete receipt-t"], _calls);
        _s3.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Trains_registers_version_files_then_the_pointer_and_deletes_the_message_last()
    {
        ServeReadyFile("datasets/ds-1/ready.csv", RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[0]));

        var outcome = await Handler().HandleAsync(MessageFor("datasets/ds-1/ready.csv"), CancellationToken.None);

        Assert.Equal(MessageOutcome.Trained, outcome);
        var puts = _calls.Where(c => c.StartsWith("put", StringComparison.Ordinal)).Select(c => c.Split('/')[^1]).ToList();
        Assert.Equal(["model.zip", "metrics.json", "model-card.json", "current.json", "ds-1.json"], puts);
        Assert.Equal("delete receipt-1", _calls[^1]);
    }

    [Fact]
    public async Task Trains_nothing_for_a_dataset_already_trained_and_deletes_the_message()
    {
        _stored["trained/ds-2.json"] = "{\"datasetId\":\"ds-2\"}"u8.ToArray();

        var outcome = await Handler().HandleAsync(MessageFor("datasets/ds-2/ready.csv"), CancellationToken.None);

        Assert.Equal(MessageOutcome.Duplicate, outcome);
        Assert.DoesNotContain(_calls, c => c.StartsWith("put", StringComparison.Ordinal));
        Assert.Equal("delete receipt-1", _calls[^1]);
    }

    [Fact]
    public async Task A_failure_keeps_the_message_releases_it_for_a_retry_and_leaves_the_pointer_alone()
    {
        ServeReadyFile("datasets/bad/ready.csv", "uri,energy\nx,0.5\n"u8.ToArray());

        var outcome = await Handler().HandleAsync(MessageFor("datasets/bad/ready.csv"), CancellationToken.None);

        Assert.Equal(MessageOutcome.Failed, outcome);
        Assert.DoesNotContain(_calls, c => c.StartsWith("delete", StringComparison.Ordinal) || c.StartsWith("put", StringComparison.Ordinal));
        Assert.Equal("visibility 7", _calls[^1]);
    }

    [Fact]
    public async Task Handles_every_record_of_a_message_and_skips_other_keys()
    {
        _stored["trained/old.json"] = "{\"datasetId\":\"old\"}"u8.ToArray();
        ServeReadyFile("datasets/new/ready.csv", RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[0]));
        var first = System.Text.Json.Nodes.JsonNode.Parse(S3Notification.For(Ready, "datasets/old/ready.csv"))!;
        var records = first["Records"]!.AsArray();
        foreach (var key in (string[])["datasets/new/ready.csv", "datasets/new/cleaned.csv"])
        {
            records.Add(System.Text.Json.Nodes.JsonNode.Parse(S3Notification.For(Ready, key))!["Records"]![0]!.DeepClone());
        }

        var outcome = await Handler().HandleAsync(new Message { MessageId = "m", ReceiptHandle = "receipt-1", Body = first.ToJsonString() }, CancellationToken.None);

        Assert.Equal(MessageOutcome.Trained, outcome);
        Assert.Contains(_calls, c => c == "put trained/new.json");
        Assert.DoesNotContain(_calls, c => c == "put trained/old.json");
        Assert.Equal("delete receipt-1", _calls[^1]);
    }

    [Theory]
    [InlineData("datasets/abc-123/ready.csv", "abc-123")]
    [InlineData("datasets/abc/cleaned.csv", null)]
    [InlineData("other/abc/ready.csv", null)]
    [InlineData("datasets//ready.csv", null)]
    public void Finds_the_dataset_id_in_a_ready_key(string key, string? expected) =>
        Assert.Equal(expected, TrainingMessageHandler.DatasetIdOf(key));
}

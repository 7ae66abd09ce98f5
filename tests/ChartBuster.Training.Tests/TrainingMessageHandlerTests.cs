using ChartBuster.Model.Registry;
using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using ChartBuster.Model;
using ChartBuster.Training.Promotion;
using ChartBuster.Training.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using System.Text.Json;
using ChartBuster.Songs.Journeys;
using Moq;

namespace ChartBuster.Training.Tests;

/// <summary>The handler at the SQS and S3 seams: what it deletes, when, and what it writes first.</summary>
public partial class TrainingMessageHandlerTests
{
    private const string Artifacts = "artifacts";
    private const string Ready = "ready";
    private readonly Mock<IAmazonSQS> _sqs = new();
    private readonly Mock<IAmazonS3> _s3 = new();
    private readonly List<string> _calls = [];
    private readonly Dictionary<string, byte[]> _stored = [];
    private readonly Dictionary<string, byte[]> _journeys = [];

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
                (r.BucketName == Ready ? _journeys : _stored)[r.Key] = copy.ToArray();
                Record(r.BucketName == Ready ? $"journey {r.Key.Split('/')[^1]}" : $"put {r.Key}");
            })
            .ReturnsAsync(new PutObjectResponse());
        // The ready bucket holds only what a test serves (ready files, prepared records): anything else is not there.
        _s3.Setup(s => s.GetObjectAsync(Ready, It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AmazonS3Exception("missing", ErrorType.Sender, "NoSuchKey", "r", HttpStatusCode.NotFound));
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

    private TrainingMessageHandler Handler(GateOptions? gateOptions = null)
    {
        var options = Options.Create(new WorkerOptions { QueueUrl = "queue", ArtifactsBucket = Artifacts, ReadyBucket = Ready, HeartbeatSeconds = 60, RetryDelaySeconds = 7 });
        var registry = new ModelRegistry(_s3.Object, Artifacts);
        var gate = new QualityGate(gateOptions ?? new GateOptions());
        var job = new TrainingJob(registry, gate, new TrainingOptions { Candidates = ModelCandidate.Quick }, Telemetry, TimeProvider.System, NullLogger<TrainingJob>.Instance);
        var journey = new TrainingJourney(_s3.Object, options, TimeProvider.System, NullLogger<TrainingJourney>.Instance);
        return new TrainingMessageHandler(_sqs.Object, _s3.Object, registry, job, journey, gate, Telemetry, options, TimeProvider.System, NullLogger<TrainingMessageHandler>.Instance);
    }

    private static Message MessageFor(string key, int receiveCount = 1) => new()
    {
        MessageId = "m-1",
        ReceiptHandle = "receipt-1",
        Body = Encoding.UTF8.GetString(S3Events.ReadyFile(Ready, key)),
        Attributes = new Dictionary<string, string> { ["ApproximateReceiveCount"] = receiveCount.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    private JourneyRecord Journey(string datasetId, string name) =>
        JsonSerializer.Deserialize(_journeys[JourneyKeys.Record(datasetId, name)], JourneyJsonContext.Default.JourneyRecord)!;

    private List<string> JourneyNames() => [.. _calls.Where(c => c.StartsWith("journey ", StringComparison.Ordinal)).Select(c => c["journey ".Length..^".json".Length])];

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
        // The card is written "promoting" with the version and marked "promoted" once the pointer names it.
        Assert.Equal(["model.zip", "metrics.json", "model-card.json", "current.json", "model-card.json", "ds-1.json"], puts);
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
        Assert.Equal(["training-started-1", "training-failed-1"], JourneyNames());
        Assert.Equal("visibility 7", _calls[^1]);
    }

    [Fact]
    public async Task Handles_every_record_of_a_message_and_skips_other_keys()
    {
        _stored["trained/old.json"] = "{\"datasetId\":\"old\"}"u8.ToArray();
        ServeReadyFile("datasets/new/ready.csv", RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[0]));
        var first = System.Text.Json.Nodes.JsonNode.Parse(S3Events.ReadyFile(Ready, "datasets/old/ready.csv"))!;
        var records = first["Records"]!.AsArray();
        foreach (var key in (string[])["datasets/new/ready.csv", "datasets/new/cleaned.csv"])
        {
            records.Add(System.Text.Json.Nodes.JsonNode.Parse(S3Events.ReadyFile(Ready, key))!["Records"]![0]!.DeepClone());
        }

        var outcome = await Handler().HandleAsync(new Message { MessageId = "m", ReceiptHandle = "receipt-1", Body = first.ToJsonString() }, CancellationToken.None);

        Assert.Equal(MessageOutcome.Trained, outcome);
        Assert.Contains(_calls, c => c == "put trained/new.json");
        Assert.DoesNotContain(_calls, c => c == "put trained/old.json");
        Assert.Equal("delete receipt-1", _calls[^1]);
    }

    private static byte[] OneClassReadyFile()
    {
        var lines = Encoding.UTF8.GetString(RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[0])).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return Encoding.UTF8.GetBytes(string.Join('\n', lines.Take(1).Concat(lines.Skip(1).Where(l => l.EndsWith(",0", StringComparison.Ordinal)).Take(300))) + "\n");
    }

    [Fact]
    public async Task Records_the_attempt_and_the_promoted_model_with_its_metrics_before_deleting_the_message()
    {
        ServeReadyFile("datasets/ds-1/ready.csv", RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[0]));

        await Handler().HandleAsync(MessageFor("datasets/ds-1/ready.csv"), CancellationToken.None);

        Assert.Equal(["training-started-1", "promoted"], JourneyNames());
        Assert.True(_calls.IndexOf("journey promoted.json") > _calls.IndexOf("put models/current.json"));
        var started = Journey("ds-1", "training-started-1");
        Assert.Equal((1, 3), (started.Attempt, started.MaxAttempts));
        var model = Journey("ds-1", "promoted").Model!;
        var pointer = JsonDocument.Parse(_stored["models/current.json"]).RootElement;
        Assert.Equal(pointer.GetProperty("modelVersion").GetString(), model.ModelVersion);
        Assert.True(model.Promoted);
        Assert.InRange(model.ValidationAuc, 0.8, 1);
        Assert.Equal(model.ValidationAuc, model.Metrics["auc"]);
        Assert.Null(model.ServingAucOnSameSongs);
        Assert.Null(model.FailedRule);
        Assert.Equal((0.70, 0.005), (model.MinimumAuc, model.Tolerance));
        Assert.True(model.TrainingRows > model.ValidationRows && model.ValidationRows > 0);
    }

    [Fact]
    public async Task Records_a_gate_rejection_with_both_aucs_on_the_same_songs_and_the_rule_that_failed()
    {
        ServeReadyFile("datasets/first/ready.csv", RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[0]));
        ServeReadyFile("datasets/second/ready.csv", RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[1]));
        await Handler().HandleAsync(MessageFor("datasets/first/ready.csv"), CancellationToken.None);
        var serving = Journey("first", "promoted").Model!.ModelVersion;

        // A gate that demands a full point of AUC over the serving model: no model can pass it.
        await Handler(new GateOptions { Tolerance = -1 }).HandleAsync(MessageFor("datasets/second/ready.csv"), CancellationToken.None);

        var rejected = Journey("second", "gate-rejected");
        Assert.Equal(JourneyStages.GateRejected, rejected.Stage);
        Assert.False(rejected.Model!.Promoted);
        Assert.Equal(serving, rejected.Model.ServingVersion);
        Assert.InRange(rejected.Model.ServingAucOnSameSongs!.Value, 0.5, 1);
        Assert.Equal("no worse than the serving model on the same songs (tolerance -1.0000)", rejected.Model.FailedRule);
        Assert.Contains("worse than the serving model's", rejected.Summary, StringComparison.Ordinal);
        Assert.Equal(serving, JsonDocument.Parse(_stored["models/current.json"]).RootElement.GetProperty("modelVersion").GetString());
    }

    [Fact]
    public async Task Records_a_model_below_the_minimum_auc_as_rejected_by_that_rule()
    {
        ServeReadyFile("datasets/ds-1/ready.csv", RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[0]));

        await Handler(new GateOptions { MinimumAuc = 0.999 }).HandleAsync(MessageFor("datasets/ds-1/ready.csv"), CancellationToken.None);

        var model = Journey("ds-1", "gate-rejected").Model!;
        Assert.Equal("minimum validation AUC 0.9990", model.FailedRule);
        Assert.Null(model.ServingVersion);
        Assert.DoesNotContain(_calls, c => c == "put models/current.json");
    }

    [Fact]
    public async Task A_poison_file_records_each_failed_attempt_in_plain_words_and_the_dead_letter_after_the_last()
    {
        ServeReadyFile("datasets/poison/ready.csv", OneClassReadyFile());

        foreach (var receive in new[] { 1, 2, 3 })
        {
            Assert.Equal(MessageOutcome.Failed, await Handler().HandleAsync(MessageFor("datasets/poison/ready.csv", receive), CancellationToken.None));
        }

        Assert.Equal(
            ["training-started-1", "training-failed-1", "training-started-2", "training-failed-2", "training-started-3", "training-failed-3", "dead-lettered"],
            JourneyNames());
        var failed = Journey("poison", "training-failed-2");
        Assert.Equal("only one class in the file: all 300 songs have target 0; a model needs songs that charted and songs that did not", failed.Error);
        Assert.Equal("training attempt 2 of 3 failed: " + failed.Error, failed.Summary);
        Assert.StartsWith("System.IO.InvalidDataException: ", failed.ErrorDetail, StringComparison.Ordinal);
        Assert.Equal(failed.Error, Journey("poison", "dead-lettered").Error);
        Assert.DoesNotContain(_calls, c => c.StartsWith("put", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_attempt_whose_worker_died_without_a_word_is_recorded_when_the_next_one_starts()
    {
        ServeReadyFile("datasets/ds-1/ready.csv", RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[0]));
        _s3.Setup(s => s.GetObjectMetadataAsync(Ready, "journeys/datasets/ds-1/training-failed-1.json", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AmazonS3Exception("missing", ErrorType.Sender, "NotFound", "r", HttpStatusCode.NotFound));

        await Handler().HandleAsync(MessageFor("datasets/ds-1/ready.csv", receiveCount: 2), CancellationToken.None);

        Assert.Equal(["training-failed-1", "training-started-2", "promoted"], JourneyNames());
        Assert.Equal(TrainingJourney.SilentEnd, Journey("ds-1", "training-failed-1").Error);
    }

    [Fact]
    public async Task A_repeated_request_for_a_trained_dataset_is_recorded_as_skipped()
    {
        _stored["trained/ds-2.json"] = "{\"datasetId\":\"ds-2\"}"u8.ToArray();

        await Handler().HandleAsync(MessageFor("datasets/ds-2/ready.csv"), CancellationToken.None);

        var name = Assert.Single(JourneyNames());
        Assert.StartsWith("already-trained-", name, StringComparison.Ordinal);
        Assert.Equal(JourneyStages.AlreadyTrained, Journey("ds-2", name).Stage);
    }

    [Fact]
    public async Task Journey_records_that_cannot_be_written_do_not_stop_the_training()
    {
        ServeReadyFile("datasets/ds-1/ready.csv", RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[0]));
        _s3.Setup(s => s.PutObjectAsync(It.Is<PutObjectRequest>(r => r.BucketName == Ready), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AmazonS3Exception("denied", ErrorType.Sender, "AccessDenied", "r", HttpStatusCode.Forbidden));

        var outcome = await Handler().HandleAsync(MessageFor("datasets/ds-1/ready.csv"), CancellationToken.None);

        Assert.Equal(MessageOutcome.Trained, outcome);
        Assert.Contains("put models/current.json", _calls);
        Assert.Equal("delete receipt-1", _calls[^1]);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "the prepared file is gone (deleted or expired before training)")]
    [InlineData(HttpStatusCode.Forbidden, "AWS refused a request: Access Denied")]
    public void Storage_errors_are_told_in_plain_words(HttpStatusCode status, string words) =>
        Assert.Equal(words, TrainingJourney.PlainWords(new AmazonS3Exception("Access Denied", ErrorType.Sender, status.ToString(), "r", status)));
}

using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using Amazon.SQS.Model;

namespace ChartBuster.Training.Tests;

/// <summary>The worker process itself (`worker` command) against the S3/SQS emulator over real HTTP.</summary>
public sealed class WorkerEmulatorTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private static readonly Lazy<byte[]> s_ready80s = new(() => RealData.ReadyCsv(RepositoryPaths.DecadeFiles().Single(f => f.EndsWith("80s.csv", StringComparison.Ordinal))));

    private sealed record Stack(string Ready, string Artifacts, string QueueUrl, string DeadLetterUrl);

    private async Task<Stack> CreateStack(int visibilityTimeoutSeconds = 30)
    {
        var (queue, dead) = await emulator.CreateQueueAsync("training", visibilityTimeoutSeconds);
        return new Stack(await emulator.CreateBucketAsync("ready"), await emulator.CreateBucketAsync("artifacts"), queue, dead);
    }

    private async Task SendReady(Stack stack, string datasetId, byte[] content)
    {
        var key = $"datasets/{datasetId}/ready.csv";
        await emulator.S3.PutObjectAsync(new PutObjectRequest { BucketName = stack.Ready, Key = key, InputStream = new MemoryStream(content) });
        await emulator.Sqs.SendMessageAsync(stack.QueueUrl, Encoding.UTF8.GetString(S3Events.ReadyFile(stack.Ready, key)));
    }

    private async Task<List<string>> ModelCards(Stack stack) =>
        [.. (await emulator.ListAsync(stack.Artifacts, "models/")).Select(o => o.Key).Where(k => k.EndsWith("/model-card.json", StringComparison.Ordinal))];

    private async Task<int> MessagesIn(string queueUrl)
    {
        var attributes = await emulator.Sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
        return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible;
    }

    [Fact]
    public async Task A_ready_file_message_ends_with_a_promoted_model_and_a_repeat_trains_nothing()
    {
        var stack = await CreateStack();
        using var ecsAgent = new FakeEcsAgent();
        await using var worker = WorkerProcess.Start(emulator, stack.QueueUrl, stack.Artifacts, stack.Ready, ecsAgent.Uri);

        await SendReady(stack, "eighties-1", s_ready80s.Value);
        await Waiting.Until(async () => (await emulator.ListAsync(stack.Artifacts, "models/current.json")).Count == 1 && await MessagesIn(stack.QueueUrl) == 0, "a promoted model", TimeSpan.FromSeconds(90));

        var pointer = JsonDocument.Parse(await emulator.ReadTextAsync(stack.Artifacts, "models/current.json")).RootElement;
        var version = pointer.GetProperty("modelVersion").GetString()!;
        Assert.Equal("eighties-1", pointer.GetProperty("datasetId").GetString());
        var files = (await emulator.ListAsync(stack.Artifacts, $"models/{version}/")).Select(o => o.Key.Split('/')[^1]).Order();
        Assert.Equal(["metrics.json", "model-card.json", "model.zip"], files);
        Assert.Contains("\"status\": \"promoted\"", await emulator.ReadTextAsync(stack.Artifacts, $"models/{version}/model-card.json"), StringComparison.Ordinal);

        await emulator.Sqs.SendMessageAsync(stack.QueueUrl, Encoding.UTF8.GetString(S3Events.ReadyFile(stack.Ready, "datasets/eighties-1/ready.csv")));
        await Waiting.Until(async () => await MessagesIn(stack.QueueUrl) == 0 && worker.Logged("Duplicate"), "the repeat to be consumed", TimeSpan.FromSeconds(90));

        Assert.Single(await ModelCards(stack));

        // Each message was handled under scale-in protection, cleared afterwards.
        await Waiting.Until(() => Task.FromResult(ecsAgent.Requests.Count >= 4), "scale-in protection to be cleared", TimeSpan.FromSeconds(10));
        Assert.Equal(["on", "off", "on", "off"], ecsAgent.Requests.Select(r => r.Contains("\"ProtectionEnabled\":true", StringComparison.Ordinal) ? "on" : "off"));
    }

    [Fact]
    public async Task A_poison_dataset_lands_in_the_dead_letter_queue_and_the_serving_model_stays()
    {
        var stack = await CreateStack();
        await using var worker = WorkerProcess.Start(emulator, stack.QueueUrl, stack.Artifacts, stack.Ready);
        await SendReady(stack, "good", s_ready80s.Value);
        await Waiting.Until(async () => (await emulator.ListAsync(stack.Artifacts, "models/current.json")).Count == 1, "the first model", TimeSpan.FromSeconds(90));
        var before = await emulator.ReadTextAsync(stack.Artifacts, "models/current.json");

        await SendReady(stack, "poison", "uri,danceability\nspotify:track:x,0.5\n"u8.ToArray());
        await Waiting.Until(async () => await MessagesIn(stack.DeadLetterUrl) == 1, "the dead-letter queue", TimeSpan.FromSeconds(90));

        Assert.Equal(before, await emulator.ReadTextAsync(stack.Artifacts, "models/current.json"));
        Assert.Equal(0, await MessagesIn(stack.QueueUrl));
        Assert.True(worker.Count("failed (receive") >= 3, worker.Output);

        // The journey tells it from the real receive counts: three failed attempts, the last one dead-lettered.
        var records = (await emulator.ListAsync(stack.Ready, "journeys/datasets/poison/")).Select(o => o.Key.Split('/')[^1]).Order();
        Assert.Equal(
            ["dead-lettered.json", "training-failed-1.json", "training-failed-2.json", "training-failed-3.json", "training-started-1.json", "training-started-2.json", "training-started-3.json"],
            records);
        var deadLettered = JsonDocument.Parse(await emulator.ReadTextAsync(stack.Ready, "journeys/datasets/poison/dead-lettered.json")).RootElement;
        Assert.Contains("cannot train a model: missing column(s)", deadLettered.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(await emulator.S3.GetObjectMetadataAsync(stack.Ready, "journeys/datasets/good/promoted.json") is not null);
    }

    [Theory]
    [InlineData(false, "more than 2,013 rows")]
    [InlineData(true, "5,520 rows")]
    public async Task A_dataset_too_large_for_the_task_memory_is_refused_with_the_reason_not_retried_and_nothing_is_promoted(bool withReport, string rows)
    {
        var stack = await CreateStack();
        // 256 MiB at 100,000 bytes a row: 2,013 rows at most; the 80s file has 5,520.
        await using var worker = WorkerProcess.Start(
            emulator, stack.QueueUrl, stack.Artifacts, stack.Ready, settings: new() { ["Worker__TaskMemoryMiB"] = "256", ["Worker__TrainingBytesPerRow"] = "100000" });
        var id = withReport ? "huge-reported" : "huge";
        if (withReport)
        {
            // The function's report counts the rows: the worker refuses before it downloads ready.csv.
            await emulator.S3.PutObjectAsync(new PutObjectRequest { BucketName = stack.Ready, Key = $"datasets/{id}/report.json", ContentBody = "{\"status\":\"ready\",\"rowsRead\":5600,\"rowsKept\":5520}" });
        }

        await SendReady(stack, id, s_ready80s.Value);
        await Waiting.Until(async () => await MessagesIn(stack.QueueUrl) == 0 && worker.Logged("refused"), "the refusal", TimeSpan.FromSeconds(90));
        await Task.Delay(1500); // a retry would show up by now (Worker__RetryDelaySeconds is 0)

        var refused = JsonDocument.Parse(await emulator.ReadTextAsync(stack.Ready, $"journeys/datasets/{id}/training-refused.json")).RootElement;
        Assert.Equal(
            $"the dataset has {rows}, more than the 2,013 a training task with 256 MiB of memory can hold (about 100,000 bytes a row); " +
            "split it into smaller files, or give the task more memory (and Worker__TaskMemoryMiB with it)",
            refused.GetProperty("error").GetString());
        Assert.StartsWith("not trained: the dataset has", refused.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var records = (await emulator.ListAsync(stack.Ready, $"journeys/datasets/{id}/")).Select(o => o.Key.Split('/')[^1]).Order();
        Assert.Equal(withReport ? ["training-refused.json"] : ["training-refused.json", "training-started-1.json"], records);
        Assert.Empty(await emulator.ListAsync(stack.Artifacts, "models/"));
        Assert.Equal(0, await MessagesIn(stack.DeadLetterUrl));
        Assert.Equal(1, worker.Count("refused:"));
        Assert.False(worker.Logged("training on dataset"), worker.Output);
    }

    [Fact]
    public async Task A_visibility_timeout_shorter_than_the_training_does_not_cause_a_second_run()
    {
        const int visibilityTimeoutSeconds = 2;
        var stack = await CreateStack(visibilityTimeoutSeconds);
        await using var worker = WorkerProcess.Start(emulator, stack.QueueUrl, stack.Artifacts, stack.Ready);
        await using var competitor = WorkerProcess.Start(emulator, stack.QueueUrl, stack.Artifacts, stack.Ready);
        var pool = RepositoryPaths.DecadeFiles().Select(RealData.ReadyCsv).ToList();
        var pooled = pool[0].Concat(pool.Skip(1).SelectMany(file => file.SkipWhile(b => b != (byte)'\n').Skip(1))).ToArray();

        await SendReady(stack, "slow", pooled);
        await Waiting.Until(async () => (await emulator.ListAsync(stack.Artifacts, "models/current.json")).Count == 1 && await MessagesIn(stack.QueueUrl) == 0, "the model", TimeSpan.FromSeconds(90));
        await Task.Delay(2 * visibilityTimeoutSeconds * 1000);

        var cards = await ModelCards(stack);
        Assert.Single(cards);
        var card = System.Text.Json.JsonDocument.Parse(await emulator.ReadTextAsync(stack.Artifacts, cards[0])).RootElement;
        Assert.True(card.GetProperty("timingsSeconds").GetProperty("total").GetDouble() > visibilityTimeoutSeconds, "the training must outlast the visibility timeout for this test to mean anything");
        Assert.All(["load", "reference", "saving"], stage => Assert.True(card.GetProperty("timingsSeconds").TryGetProperty(stage, out _), $"the card has no {stage} time"));
        Assert.Equal(1, worker.Count("Trained") + competitor.Count("Trained"));
        Assert.True(worker.Count("training on dataset") + competitor.Count("training on dataset") == 1, worker.Output + competitor.Output);
    }

    [Fact]
    public async Task Stops_cleanly_on_sigterm()
    {
        var stack = await CreateStack();
        var worker = WorkerProcess.Start(emulator, stack.QueueUrl, stack.Artifacts, stack.Ready);
        await Waiting.Until(() => Task.FromResult(worker.Logged("polling")), "the worker to start", TimeSpan.FromSeconds(30));

        var exitCode = await worker.TerminateAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exitCode);
        Assert.True(worker.Logged("training worker stopped"), worker.Output);
        await worker.DisposeAsync();
    }

    [Fact]
    public async Task Refuses_to_start_without_its_queue()
    {
        await using var worker = WorkerProcess.Start(emulator, queueUrl: "", artifactsBucket: "artifacts");

        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("QueueUrl", worker.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AwsCalls__MaxAttempts", "0")]
    [InlineData("AwsCalls__TimeoutSeconds", "-1")]
    public async Task Refuses_to_start_with_an_aws_call_policy_out_of_range(string setting, string value)
    {
        await using var worker = WorkerProcess.Start(emulator, "http://127.0.0.1:1/queue", "artifacts", settings: new() { [setting] = value });

        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.Contains(setting.Split("__")[1], worker.Output, StringComparison.Ordinal);
        Assert.False(worker.Logged("polling"), worker.Output);
    }

    /// <summary>The `worker` command as its own process, pointed at the emulator, with test-sized timings.</summary>
    private static class WorkerProcess
    {
        public static ServiceProcess Start(
            EmulatorFixture emulator, string queueUrl, string artifactsBucket, string readyBucket = "ready", Uri? ecsAgent = null, Dictionary<string, string>? settings = null)
        {
            var environment = new Dictionary<string, string>(emulator.Environment)
            {
                ["CHARTBUSTER_TRAINING_QUEUE_URL"] = queueUrl,
                ["CHARTBUSTER_ARTIFACTS_BUCKET"] = artifactsBucket,
                ["CHARTBUSTER_READY_BUCKET"] = readyBucket,
                ["CHARTBUSTER_TRAINING_PROFILE"] = "quick",
                ["Worker__WaitTimeSeconds"] = "1",
                ["Worker__HeartbeatSeconds"] = "0.25",
                ["Worker__VisibilityExtensionSeconds"] = "10",
                ["Worker__RetryDelaySeconds"] = "0",
            };
            if (ecsAgent is not null)
            {
                environment["ECS_AGENT_URI"] = ecsAgent.AbsoluteUri;
            }

            foreach (var (name, value) in settings ?? [])
            {
                environment[name] = value;
            }

            return ServiceProcess.Start(ServiceProcess.Program("training/ChartBuster.Training"), ["worker"], environment);
        }
    }
}

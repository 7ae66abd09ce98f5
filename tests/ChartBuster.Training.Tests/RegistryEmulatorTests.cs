using ChartBuster.Cli;
using ChartBuster.Aws;
using ChartBuster.Training.Worker;
using ChartBuster.Model.Registry;
using ChartBuster.Model;
using ChartBuster.Training.Promotion;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChartBuster.Training.Tests;

/// <summary>The registry and the training job against the emulator's S3.</summary>
public sealed class RegistryEmulatorTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private static readonly Lazy<IReadOnlyList<TrainingRow>> s_rows = new(() =>
        ReadyDataset.Load(new MemoryStream(RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[4])), "dataset-of-80s.csv"));

    private static TrainingJob Job(ModelRegistry registry, double minimumAuc = 0.8) => new(
        registry, new QualityGate(new GateOptions { MinimumAuc = minimumAuc, Tolerance = 0.005 }),
        new TrainingOptions { Candidates = ModelCandidate.Quick }, new TrainingTelemetry(MeterRecorder.NewFactory()), TimeProvider.System, NullLogger<TrainingJob>.Instance);

    /// <summary>
    /// The same songs, but in the training pool each song gets another song's audio features (uris, artists and
    /// labels stay, so the trainer's split, stratified on labels and grouped by artist, is unchanged and the
    /// held-out songs keep their real features): a model that learned nothing real.
    /// </summary>
    private static List<TrainingRow> NoiseInTrainingPool(IReadOnlyList<TrainingRow> rows)
    {
        var heldOut = GroupedSplit.Holdout(rows, new TrainingOptions().ValidationShare, new TrainingOptions().Seed).Validation.Select(r => r.Uri).ToHashSet();
        var random = new Random(3);
        var donors = new Queue<SongModelInput>(rows.Where(r => !heldOut.Contains(r.Uri)).Select(r => r.Input).OrderBy(_ => random.Next()));
        return [.. rows.Select(r =>
        {
            if (heldOut.Contains(r.Uri))
            {
                return r;
            }

            var input = donors.Dequeue().Clone();
            input.Label = r.Label;
            return r with { Input = input };
        })];
    }

    [Fact]
    public async Task A_training_that_dies_before_moving_the_pointer_leaves_the_old_model_serving_and_its_orphan_in_history_never_served()
    {
        var bucket = await emulator.CreateBucketAsync("artifacts");
        await using var proxy = await FaultyProxy.StartAsync(emulator.Endpoint);
        using var s3 = AwsClients.S3(name => proxy.Environment.GetValueOrDefault(name), AwsCallPolicy.Tools());
        var registry = new ModelRegistry(s3, bucket);
        var first = await Job(registry).RunAsync("first", s_rows.Value, CancellationToken.None);

        proxy.Inject(new Fault("PUT", "/models/current.json", FaultKind.ServiceUnavailable));
        await Assert.ThrowsAnyAsync<Amazon.Runtime.AmazonServiceException>(() => Job(registry).RunAsync("second", s_rows.Value, CancellationToken.None));
        var afterCrash = await registry.CurrentAsync(CancellationToken.None);
        var orphan = Assert.Single(await registry.HistoryAsync(CancellationToken.None), c => c.DatasetId == "second");
        proxy.Heal();
        var retried = await Job(registry).RunAsync("second", s_rows.Value, CancellationToken.None);
        var history = await registry.HistoryAsync(CancellationToken.None);
        var pointer = await registry.CurrentAsync(CancellationToken.None);

        Assert.Equal(first.ModelVersion, afterCrash!.ModelVersion);
        Assert.Equal("interrupted", orphan.Status);
        Assert.Contains("never served", orphan.StatusReason, StringComparison.Ordinal);
        Assert.Equal([retried.ModelVersion, orphan.ModelVersion, first.ModelVersion], history.Select(c => c.ModelVersion));
        Assert.Equal(["promoted", "interrupted", "promoted"], history.Select(c => c.Status));
        Assert.Equal((retried.ModelVersion, first.ModelVersion), (pointer!.ModelVersion, pointer.PreviousVersion));
    }

    [Fact]
    public async Task A_training_cancelled_between_its_stages_stops_and_stores_or_promotes_nothing()
    {
        var registry = new ModelRegistry(emulator.S3, await emulator.CreateBucketAsync("artifacts"));
        var first = await Job(registry, minimumAuc: 0).RunAsync("first", s_rows.Value, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var progress = new CancelOnProgress(cancel, "CV AUC");
        var job = new TrainingJob(
            registry, new QualityGate(new GateOptions { MinimumAuc = 0, Tolerance = 1 }), new TrainingOptions { Candidates = ModelCandidate.Quick },
            new TrainingTelemetry(MeterRecorder.NewFactory()), TimeProvider.System, progress);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job.RunAsync("second", s_rows.Value, cancel.Token));

        Assert.True(cancel.IsCancellationRequested);
        Assert.DoesNotContain(progress.Messages, m => m.Contains("validation AUC", StringComparison.Ordinal)); // no final fit, no evaluation
        Assert.Equal(first.ModelVersion, (await registry.CurrentAsync(CancellationToken.None))!.ModelVersion);
        Assert.Equal([first.ModelVersion], (await registry.HistoryAsync(CancellationToken.None)).Select(c => c.ModelVersion));
        Assert.False(await registry.WasTrainedAsync("second", CancellationToken.None));
    }

    /// <summary>Cancels the training when it reports a stage: the moment a worker's stop or a deadline could come.</summary>
    private sealed class CancelOnProgress(CancellationTokenSource cancel, string stage) : ILogger<TrainingJob>
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Messages.Add(formatter(state, exception));
            if (Messages[^1].Contains(stage, StringComparison.Ordinal))
            {
                cancel.Cancel();
            }
        }
    }

    [Fact]
    public async Task A_model_worse_than_the_serving_one_on_the_same_songs_is_stored_rejected_and_the_pointer_stays()
    {
        var registry = new ModelRegistry(emulator.S3, await emulator.CreateBucketAsync("artifacts"));
        var first = await Job(registry).RunAsync("real", s_rows.Value, CancellationToken.None);
        var pointer = await registry.CurrentAsync(CancellationToken.None);

        var second = await Job(registry, minimumAuc: 0).RunAsync("noise", NoiseInTrainingPool(s_rows.Value), CancellationToken.None);

        Assert.True(first.Promoted, first.Reason);
        Assert.True(second.ValidationAuc < 0.6, $"noise model: {second.ValidationAuc}");
        Assert.False(second.Promoted);
        Assert.Contains("worse than the serving model", second.Reason, StringComparison.Ordinal);
        Assert.True(second.CurrentAuc > 0.8, $"serving model on the new held-out songs: {second.CurrentAuc}");
        Assert.Equal(pointer, await registry.CurrentAsync(CancellationToken.None));
        var history = await registry.HistoryAsync(CancellationToken.None);
        Assert.Equal([second.ModelVersion, first.ModelVersion], history.Select(c => c.ModelVersion));
        Assert.Equal(["rejected", "promoted"], history.Select(c => c.Status));
        Assert.True(await registry.WasTrainedAsync("noise", CancellationToken.None));
    }

    [Fact]
    public async Task Rolling_back_rewrites_only_the_pointer()
    {
        var registry = new ModelRegistry(emulator.S3, await emulator.CreateBucketAsync("artifacts"));
        var first = await Job(registry).RunAsync("first", s_rows.Value, CancellationToken.None);
        await Task.Delay(1100); // versions are stamped to the second
        var second = await Job(registry).RunAsync("second", s_rows.Value, CancellationToken.None);
        Assert.Equal(second.ModelVersion, (await registry.CurrentAsync(CancellationToken.None))!.ModelVersion);

        var rolledBack = await registry.RollBackAsync(first.ModelVersion, CancellationToken.None);

        Assert.Equal(first.ModelVersion, (await registry.CurrentAsync(CancellationToken.None))!.ModelVersion);
        Assert.Equal(second.ModelVersion, rolledBack.PreviousVersion);
        Assert.Equal(2, (await registry.HistoryAsync(CancellationToken.None)).Count);
        await Assert.ThrowsAsync<InvalidOperationException>(() => registry.RollBackAsync("no-such-version", CancellationToken.None));
    }

    [Fact]
    public async Task The_history_and_rollback_commands_list_versions_and_move_the_pointer()
    {
        var bucket = await emulator.CreateBucketAsync("artifacts");
        var registry = new ModelRegistry(emulator.S3, bucket);
        var first = await Job(registry).RunAsync("first", s_rows.Value, CancellationToken.None);
        await Task.Delay(1100);
        var second = await Job(registry).RunAsync("second", s_rows.Value, CancellationToken.None);
        string? Variable(string name) => name == "CHARTBUSTER_ARTIFACTS_BUCKET" ? bucket : emulator.Environment.GetValueOrDefault(name);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var listed = await TrainingCommandLine.RunAsync(["history"], output, error, Variable);
        var rolled = await TrainingCommandLine.RunAsync(["rollback", "--to", first.ModelVersion], output, error, Variable);
        var refused = await TrainingCommandLine.RunAsync(["rollback", "--to", "nope"], output, error, Variable);

        Assert.Equal((ExitCodes.Ok, ExitCodes.Ok, ExitCodes.Failed), (listed, rolled, refused));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith(second.ModelVersion, lines[0], StringComparison.Ordinal);
        Assert.Contains("*serving*", lines[0], StringComparison.Ordinal);
        Assert.StartsWith(first.ModelVersion, lines[1], StringComparison.Ordinal);
        Assert.Contains($"now serving {first.ModelVersion}", lines[2], StringComparison.Ordinal);
        Assert.Equal(first.ModelVersion, (await registry.CurrentAsync(CancellationToken.None))!.ModelVersion);
        Assert.Contains("no model version 'nope'", error.ToString(), StringComparison.Ordinal);
    }
}

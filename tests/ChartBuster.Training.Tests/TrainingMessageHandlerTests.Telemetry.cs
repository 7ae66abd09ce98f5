using System.Diagnostics;
using System.Text.Json;
using Amazon.S3.Model;
using ChartBuster.Model;
using ChartBuster.Songs.Journeys;
using ChartBuster.Training.Worker;
using Moq;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace ChartBuster.Training.Tests;

/// <summary>What the worker's instruments record, and how the upload's trace reaches the journey and the model card.</summary>
public partial class TrainingMessageHandlerTests : IDisposable
{
    private const string UploadTrace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private readonly Probe _probe = new();

    private TrainingTelemetry Telemetry => _probe.Telemetry;

    private MeterRecorder Recorder => _probe.Recorder;

    public void Dispose()
    {
        _probe.Recorder.Dispose();
        GC.SuppressFinalize(this);
    }

    private void ServeRecord(string datasetId, string stage, string? traceParent)
    {
        var record = new JourneyRecord { DatasetId = datasetId, Stage = stage, Name = stage, At = DateTimeOffset.UtcNow, Summary = stage, TraceParent = traceParent };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(record, JourneyJsonContext.Default.JourneyRecord);
        _s3.Setup(s => s.GetObjectAsync(Ready, JourneyKeys.Record(datasetId, stage), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new GetObjectResponse { ResponseStream = new MemoryStream(bytes) });
    }

    [Fact]
    public async Task A_promoted_model_is_counted_with_the_gate_decision_and_the_duration_of_each_stage()
    {
        var recorder = Recorder;
        ServeReadyFile("datasets/ds-1/ready.csv", RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[0]));

        await Handler().HandleAsync(MessageFor("datasets/ds-1/ready.csv"), CancellationToken.None);

        Assert.Equal(1, recorder.Sum(TrainingTelemetry.GateDecisions, ("decision", "promoted"), ("reason", "first_model")));
        Assert.Equal(1, recorder.Sum(TrainingTelemetry.Datasets, ("outcome", "promoted")));
        Assert.Equal(1, recorder.Sum(TrainingTelemetry.Messages, ("outcome", "done")));
        var stages = recorder.Of(TrainingTelemetry.StageDuration);
        var candidates = ModelCandidate.Quick.Select(c => c.Name).ToList();
        Assert.Equal(candidates.Order(), stages.Where(s => s.Tags["stage"] == "cross_validation").Select(s => s.Tags["candidate"]!).Order());
        Assert.Equal(
            ["compare_with_serving", "cross_validation", "download", "evaluation", "final_fit", "register"],
            stages.Select(s => s.Tags["stage"]!).Distinct().Order());
        Assert.All(stages, s => Assert.InRange(s.Value, 0, 600));
        Assert.Contains(stages, s => s.Tags["stage"] == "final_fit" && candidates.Contains(s.Tags["candidate"]!));
    }

    [Fact]
    public async Task A_gate_refusal_is_counted_with_its_reason()
    {
        var recorder = Recorder;
        ServeReadyFile("datasets/ds-1/ready.csv", RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[0]));

        await Handler(new Promotion.GateOptions { MinimumAuc = 0.999 }).HandleAsync(MessageFor("datasets/ds-1/ready.csv"), CancellationToken.None);

        Assert.Equal(1, recorder.Sum(TrainingTelemetry.GateDecisions, ("decision", "refused"), ("reason", "below_minimum_auc")));
        Assert.Equal(0, recorder.Sum(TrainingTelemetry.GateDecisions, ("decision", "promoted")));
        Assert.Equal(1, recorder.Sum(TrainingTelemetry.Datasets, ("outcome", "gate_rejected")));
    }

    [Fact]
    public async Task A_failed_attempt_is_counted_as_retried_and_the_last_one_as_dead_lettered()
    {
        var recorder = Recorder;
        ServeReadyFile("datasets/poison/ready.csv", OneClassReadyFile());

        await Handler().HandleAsync(MessageFor("datasets/poison/ready.csv", 1), CancellationToken.None);
        await Handler().HandleAsync(MessageFor("datasets/poison/ready.csv", 3), CancellationToken.None);

        Assert.Equal(1, recorder.Sum(TrainingTelemetry.Messages, ("outcome", "retried")));
        Assert.Equal(1, recorder.Sum(TrainingTelemetry.Messages, ("outcome", "dead_lettered")));
        Assert.Equal(2, recorder.Sum(TrainingTelemetry.Datasets, ("outcome", "failed")));
        Assert.Equal(0, recorder.Sum(TrainingTelemetry.Messages, ("outcome", "done")));
    }

    /// <summary>The "train dataset" span of one dataset (the listener also hears spans of tests running beside this one).</summary>
    private static Activity TrainingSpan(List<Activity> spans, string datasetId) =>
        Assert.Single(spans, s => s.DisplayName == "train dataset" && Equals(s.GetTagItem("chartbuster.dataset_id"), datasetId));

    [Fact]
    public async Task The_training_continues_the_uploads_trace_into_its_records_and_the_model_card()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(TrainingTelemetry.Name).AddInMemoryExporter(spans).Build();
        ServeRecord("traced", JourneyStages.Received, UploadTrace);
        ServeReadyFile("datasets/traced/ready.csv", RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[0]));

        await Handler().HandleAsync(MessageFor("datasets/traced/ready.csv"), CancellationToken.None);

        tracing.ForceFlush();
        var training = TrainingSpan(spans, "traced");
        Assert.Equal(("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"), (training.TraceId.ToHexString(), training.ParentSpanId.ToHexString()));
        var stages = spans.Where(s => s.TraceId == training.TraceId && s != training).ToList();
        Assert.Equal(["compare_with_serving", "download", "register", "train"], stages.Select(s => s.DisplayName).Order());
        Assert.All(stages, s => Assert.Equal(training.SpanId, s.ParentSpanId));
        foreach (var record in new[] { Journey("traced", "training-started-1"), Journey("traced", "promoted") })
        {
            Assert.StartsWith("00-0af7651916cd43dd8448eb211c80319c-", record.TraceParent, StringComparison.Ordinal);
        }

        var version = Journey("traced", "promoted").Model!.ModelVersion;
        var card = JsonSerializer.Deserialize(_stored[$"models/{version}/model-card.json"], ModelJsonContext.Default.ModelCard)!;
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", card.TraceId);
    }

    [Fact]
    public async Task Without_a_received_record_the_trace_is_taken_from_the_prepared_one()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(TrainingTelemetry.Name).AddInMemoryExporter(spans).Build();
        ServeRecord("prepared-only", JourneyStages.Prepared, UploadTrace);
        ServeReadyFile("datasets/prepared-only/ready.csv", RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[0]));

        await Handler().HandleAsync(MessageFor("datasets/prepared-only/ready.csv"), CancellationToken.None);

        tracing.ForceFlush();
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", TrainingSpan(spans, "prepared-only").TraceId.ToHexString());
    }

    [Fact]
    public async Task A_dataset_without_an_upload_trace_is_trained_under_a_new_one()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(TrainingTelemetry.Name).AddInMemoryExporter(spans).Build();
        ServeRecord("untraced", JourneyStages.Received, traceParent: null);
        ServeRecord("untraced", JourneyStages.Prepared, traceParent: null);
        ServeReadyFile("datasets/untraced/ready.csv", RealData.ReadyCsv(RepositoryPaths.DecadeFiles()[0]));

        var outcome = await Handler().HandleAsync(MessageFor("datasets/untraced/ready.csv"), CancellationToken.None);

        tracing.ForceFlush();
        Assert.Equal(MessageOutcome.Trained, outcome);
        var training = TrainingSpan(spans, "untraced");
        Assert.Equal(default, training.ParentSpanId);
        Assert.Equal(training.TraceId.ToHexString(), ChartBuster.Songs.Telemetry.TraceParents.TraceIdOf(Journey("untraced", "promoted").TraceParent));
    }

    /// <summary>The worker's instruments on a meter factory of the test's own, and what they record.</summary>
    private sealed class Probe
    {
        private readonly System.Diagnostics.Metrics.IMeterFactory _meters = MeterRecorder.NewFactory();

        public Probe()
        {
            Telemetry = new TrainingTelemetry(_meters);
            Recorder = new MeterRecorder(_meters);
        }

        public TrainingTelemetry Telemetry { get; }

        public MeterRecorder Recorder { get; }
    }
}

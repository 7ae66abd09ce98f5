using System.Diagnostics;
using ChartBuster.Model.Registry;
using ChartBuster.Model;
using ChartBuster.Training.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.ML;

namespace ChartBuster.Training.Promotion;

/// <summary>What a training produced and what the quality gate made of it.</summary>
public sealed record TrainingOutcome(
    string ModelVersion,
    bool Promoted,
    string Reason,
    double ValidationAuc,
    double? CurrentAuc,
    string? CurrentVersion = null,
    string? FailedRule = null,
    RowCounts? Rows = null,
    BinaryMetrics? Validation = null);

/// <summary>
/// Trains on one ready dataset and registers the result: version files first, then — only if the quality
/// gate agrees — the pointer, then the dataset's "trained" mark. A failure anywhere leaves the pointer,
/// and so the serving model, as it was.
/// </summary>
public sealed partial class TrainingJob(
    ModelRegistry registry, QualityGate gate, TrainingOptions options, TrainingTelemetry telemetry, TimeProvider time, ILogger<TrainingJob> logger)
{
    public Task<TrainingOutcome> RunAsync(string datasetId, IReadOnlyList<TrainingRow> rows, CancellationToken cancellationToken) =>
        RunAsync(datasetId, rows, loadSeconds: null, cancellationToken);

    /// <param name="loadSeconds">How long reading the ready file took, for the card's time breakdown (as <c>train</c> records it).</param>
    public async Task<TrainingOutcome> RunAsync(string datasetId, IReadOnlyList<TrainingRow> rows, double? loadSeconds, CancellationToken cancellationToken)
    {
        LogTraining(datasetId, rows.Count);
        TrainedModel trained;
        using (TrainingTelemetry.Source.StartActivity("train"))
        {
            // Cancelled, it stops between stages with nothing stored: no version, no pointer, no trained mark.
            trained = new ModelTrainer(options, message => LogProgress(datasetId, message)).Train(rows, cancellationToken);
        }

        telemetry.Trained(trained);
        var trainedAt = time.GetUtcNow();
        var version = ModelFiles.NewVersion(datasetId, trainedAt);
        ModelPointer? current;
        double? currentAuc;
        using (telemetry.Time(TrainingTelemetry.Stages.Compare))
        {
            current = await registry.CurrentAsync(cancellationToken);
            currentAuc = current is null ? null : await CurrentAucOnAsync(current.ModelVersion, trained.ValidationRows, cancellationToken);
        }

        var newAuc = trained.Metrics.Validation.Auc;
        var decision = gate.Decide(newAuc, currentAuc);
        telemetry.Decided(decision);
        var card = ModelFiles.CardFor(trained, version, datasetId, trainedAt, options.Seed) with
        {
            Status = decision.Promote ? ModelStatus.Promoting : ModelStatus.Rejected,
            StatusReason = decision.Reason,
            CurrentModelAucOnSameRows = currentAuc,
            TraceId = Activity.Current?.TraceId.ToHexString(),
            TimingsSeconds = loadSeconds is { } load
                ? new Dictionary<string, double>(trained.TimingsSeconds) { ["load"] = Math.Round(load, 2) }
                : trained.TimingsSeconds,
        };
        var model = trained.ModelZip;
        using (telemetry.Time(TrainingTelemetry.Stages.Register))
        {
            await RegisterAsync(datasetId, version, card, model, trained.Metrics, decision, current, cancellationToken);
        }

        LogOutcome(datasetId, version, decision.Promote ? ModelStatus.Promoted : ModelStatus.Rejected, newAuc, decision.Reason);
        return new TrainingOutcome(version, decision.Promote, decision.Reason, newAuc, currentAuc, current?.ModelVersion, decision.FailedRule, trained.Rows, trained.Metrics.Validation);
    }

    /// <summary>Version files first, then (promoted only) the pointer and the final card, then the dataset's "trained" mark.</summary>
    private async Task RegisterAsync(
        string datasetId, string version, ModelCard card, byte[] model, ModelMetrics metrics, GateDecision decision, ModelPointer? current, CancellationToken cancellationToken)
    {
        await registry.StoreVersionAsync(card, model, ModelFiles.MetricsBytes(metrics), cancellationToken);
        if (decision.Promote)
        {
            // A crash before the pointer moves leaves a "promoting" version that history shows as interrupted, never served.
            await registry.PointToAsync(new ModelPointer(version, datasetId, time.GetUtcNow(), metrics.Validation.Auc, decision.Reason, current?.ModelVersion), cancellationToken);
            card = card with { Status = ModelStatus.Promoted };
            await registry.StoreCardAsync(card, model, cancellationToken);
        }

        await registry.MarkTrainedAsync(new TrainedDataset(datasetId, version, card.Status, time.GetUtcNow()), cancellationToken);
    }

    /// <summary>The serving model's AUC on the new model's validation songs; null if it cannot be read.</summary>
    private async Task<double?> CurrentAucOnAsync(string version, IReadOnlyList<TrainingRow> validation, CancellationToken cancellationToken)
    {
        await using var stream = await registry.OpenModelAsync(version, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        try
        {
            var ml = new MLContext();
            var model = ml.Model.Load(stream, out _);
            return BinaryMetrics.AreaUnderRoc(validation.Select(r => r.Label).ToList(), ModelTrainer.Predict(ml, model, validation.Select(r => r.Input)));
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or InvalidDataException)
        {
            // A serving model this code cannot read (another schema) cannot be compared; the minimum AUC still applies.
            LogIncomparable(version, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "training on dataset {DatasetId}: {Rows} rows")]
    private partial void LogTraining(string datasetId, int rows);

    [LoggerMessage(Level = LogLevel.Information, Message = "dataset {DatasetId}: {Progress}")]
    private partial void LogProgress(string datasetId, string progress);

    [LoggerMessage(Level = LogLevel.Information, Message = "dataset {DatasetId}: model {ModelVersion} {Status} (validation AUC {Auc:F4}): {Reason}")]
    private partial void LogOutcome(string datasetId, string modelVersion, string status, double auc, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the serving model {ModelVersion} cannot be compared: {Problem}")]
    private partial void LogIncomparable(string modelVersion, string problem);
}

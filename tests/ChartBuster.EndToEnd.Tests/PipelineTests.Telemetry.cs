using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3.Model;
using ChartBuster.Songs.Journeys;

namespace ChartBuster.EndToEnd.Tests;

/// <summary>What an operator sees of the running pipeline: one trace per upload, and the metrics of the web app and the worker.</summary>
public sealed partial class PipelineTests
{
    private async Task<string> ReadAsync(string bucket, string key)
    {
        using var response = await stack.S3.GetObjectAsync(bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    private async Task<JourneyRecord> RecordAsync(string datasetId, string name) =>
        JsonSerializer.Deserialize(await ReadAsync(LocalStackFixture.ReadyBucket, JourneyKeys.Record(datasetId, name)), JourneyJsonContext.Default.JourneyRecord)!;

    [Fact]
    public async Task One_trace_id_follows_the_upload_from_the_function_through_the_worker_to_the_promoted_model()
    {
        var model = await stack.Web.GetFromJsonAsync<JsonElement>(new Uri("/api/model", UriKind.Relative));
        var datasetId = model.GetProperty("datasetId").GetString()!;

        var prepared = await RecordAsync(datasetId, JourneyStages.Prepared);
        var promoted = await RecordAsync(datasetId, JourneyStages.Promoted);
        var card = JsonDocument.Parse(await ReadAsync(LocalStackFixture.ArtifactsBucket, $"models/{stack.FirstModelVersion}/model-card.json")).RootElement;
        var dataset = await stack.Web.GetFromJsonAsync<JsonElement>(new Uri($"/api/datasets/{datasetId}", UriKind.Relative));

        var traceId = Songs.Telemetry.TraceParents.TraceIdOf(prepared.TraceParent);
        Assert.NotNull(traceId);
        Assert.Equal(traceId, Songs.Telemetry.TraceParents.TraceIdOf(promoted.TraceParent));
        Assert.NotEqual(prepared.TraceParent, promoted.TraceParent); // the worker's own span in the same trace
        Assert.Equal(traceId, card.GetProperty("traceId").GetString());
        Assert.Equal(traceId, dataset.GetProperty("traceId").GetString());
        Assert.Contains(traceId, stack.ReadLog("preprocess"), StringComparison.Ordinal);
        Assert.Contains(traceId, stack.ReadLog("worker"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_web_app_and_the_worker_serve_their_metrics_on_their_local_ports()
    {
        using var scraper = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await PredictAsync();

        var web = await scraper.GetStringAsync(stack.WebMetrics);
        var worker = await scraper.GetStringAsync(stack.WorkerMetrics);

        Assert.Contains("chartbuster_predictions_total{", web, StringComparison.Ordinal);
        Assert.Contains($"model_version=\"{stack.FirstModelVersion}\"", web, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{", web, StringComparison.Ordinal);
        Assert.Contains("chartbuster_training_gate_decisions_total{", worker, StringComparison.Ordinal);
        Assert.Contains("stage=\"cross_validation\"", worker, StringComparison.Ordinal);
        Assert.Contains("chartbuster_training_datasets_total{", worker, StringComparison.Ordinal);
    }
}

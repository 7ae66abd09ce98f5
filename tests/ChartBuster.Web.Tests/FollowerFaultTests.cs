using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3.Model;
using ChartBuster.Model.Registry;

namespace ChartBuster.Web.Tests;

/// <summary>
/// The app following the registry through a proxy that injects S3's transient faults (503 SlowDown, a request that
/// never answers, a broken header): a pointer is handled only once its model has loaded, so a fault delays a new
/// model by a retry, never until the next promotion.
/// </summary>
public sealed class FollowerFaultTests(TrainedModels models, EmulatorFixture emulator) : IClassFixture<TrainedModels>, IClassFixture<EmulatorFixture>
{
    private const string Old = "20261101T000000Z-old";
    private const string New = "20261102T000000Z-new";

    private async Task Publish(string bucket, string folder, string version)
    {
        foreach (var file in Directory.GetFiles(folder))
        {
            await emulator.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"models/{version}/{Path.GetFileName(file)}", FilePath = file });
        }

        await new ModelRegistry(emulator.S3, bucket).PointToAsync(new ModelPointer(version, "ds", DateTimeOffset.UtcNow, 0.9, "test", null), CancellationToken.None);
    }

    private static async Task<string?> Serving(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/model")).GetProperty("modelVersion").GetString();

    private async Task<(WebAppFactory App, HttpClient Client, string Bucket)> ServingOldThrough(FaultyProxy proxy, Dictionary<string, string?>? settings = null)
    {
        var bucket = await emulator.CreateBucketAsync("artifacts");
        await Publish(bucket, models.First, Old);
        settings ??= [];
        settings["ModelSource:PollSeconds"] = "0.3";
        settings["ModelSource:RetrySeconds"] = "0.1";
        var app = WebAppFactory.FollowingRegistry(models.First, proxy.Environment, bucket, settings);
        var client = app.CreateClient();
        Assert.Equal(Old, await Serving(client));
        return (app, client, bucket);
    }

    [Fact]
    public async Task Service_unavailable_while_fetching_the_new_model_is_retried_until_it_loads()
    {
        await using var proxy = await FaultyProxy.StartAsync(emulator.Endpoint);
        var (app, client, bucket) = await ServingOldThrough(proxy);
        using var _ = app;
        proxy.Inject(new Fault("GET", $"/models/{New}/model.zip", FaultKind.ServiceUnavailable));

        await Publish(bucket, models.Second, New);
        await Waiting.Until(() => Task.FromResult(proxy.Count("fault:ServiceUnavailable") >= 8), "several failed fetches of the new model", TimeSpan.FromSeconds(60));
        Assert.Equal(Old, await Serving(client));
        proxy.Heal();

        await Waiting.Until(async () => await Serving(client) == New, "the new model after the faults stop", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_model_download_that_never_answers_times_out_and_is_retried()
    {
        await using var proxy = await FaultyProxy.StartAsync(emulator.Endpoint);
        var (app, client, bucket) = await ServingOldThrough(proxy, new() { ["ModelSource:CheckTimeoutSeconds"] = "2" });
        using var _ = app;
        proxy.Inject(new Fault("GET", $"/models/{New}/model.zip", FaultKind.Hang, Times: 1));

        await Publish(bucket, models.Second, New);

        await Waiting.Until(async () => await Serving(client) == New, "the new model after a download that hung", TimeSpan.FromSeconds(30));
        Assert.Equal(1, proxy.Count("fault:Hang"));
    }

    [Fact]
    public async Task A_pointer_with_a_malformed_Last_Modified_header_does_not_stop_the_following()
    {
        await using var proxy = await FaultyProxy.StartAsync(emulator.Endpoint);
        var (app, client, bucket) = await ServingOldThrough(proxy);
        using var _ = app;
        proxy.Inject(new Fault("HEAD", "/models/current.json", FaultKind.BrokenHeader, Times: 3));
        proxy.Inject(new Fault("GET", "/models/current.json", FaultKind.BrokenHeader, Times: 3));

        await Publish(bucket, models.Second, New);

        await Waiting.Until(async () => await Serving(client) == New, "the new model after malformed headers", TimeSpan.FromSeconds(30));
        Assert.True(proxy.Count("fault:BrokenHeader") >= 3, string.Join('\n', proxy.Log));
    }

    [Fact]
    public async Task Starts_and_answers_503_while_S3_does_not_answer_then_serves_the_model_once_it_does()
    {
        await using var proxy = await FaultyProxy.StartAsync(emulator.Endpoint);
        var bucket = await emulator.CreateBucketAsync("artifacts");
        await Publish(bucket, models.First, Old);
        proxy.Inject(new Fault("HEAD", "/models/current.json", FaultKind.Hang)); // every check hangs until healed
        using var app = WebAppFactory.FollowingRegistry(models.First, proxy.Environment, bucket, new()
        {
            ["ModelSource:PollSeconds"] = "0.3", ["ModelSource:RetrySeconds"] = "0.1", ["ModelSource:CheckTimeoutSeconds"] = "600",
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var client = app.CreateClient();
        var started = clock.Elapsed;
        var ready = await client.GetAsync("/health/ready");

        Assert.True(started < TimeSpan.FromSeconds(30), $"the site took {started} to start");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        proxy.Heal();
        await Waiting.Until(async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode, "the model once S3 answers", TimeSpan.FromSeconds(30));
    }
}

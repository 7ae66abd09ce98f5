using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3.Model;
using ChartBuster.Model.Registry;
using ChartBuster.Web.Following;
using Microsoft.Extensions.DependencyInjection;

namespace ChartBuster.Web.Tests;

/// <summary>The app following models/current.json in the emulator's S3, as it runs in AWS.</summary>
public sealed class RegistryFollowingTests(TrainedModels models, EmulatorFixture emulator) : IClassFixture<TrainedModels>, IClassFixture<EmulatorFixture>
{
    private async Task Publish(string bucket, string folder, string version)
    {
        foreach (var name in (string[])[ModelFiles.Model, ModelFiles.Metrics, ModelFiles.Card])
        {
            await emulator.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"models/{version}/{name}", FilePath = Path.Combine(folder, name) });
        }

        var pointer = new ModelPointer(version, "ds", DateTimeOffset.UtcNow, 0.9, "test", null);
        await new ModelRegistry(emulator.S3, bucket).PointToAsync(pointer, CancellationToken.None);
    }

    private WebAppFactory App(string bucket) => WebAppFactory.FollowingRegistry(models.First, emulator, bucket);

    [Fact]
    public async Task Serves_the_version_the_pointer_names_and_follows_it_when_it_moves()
    {
        var bucket = await emulator.CreateBucketAsync("artifacts");
        await Publish(bucket, models.First, "20261101T000000Z-aaaa");
        using var app = App(bucket);
        var client = app.CreateClient();

        var before = await client.GetFromJsonAsync<JsonElement>("/api/model");
        await Publish(bucket, models.Second, "20261102T000000Z-bbbb");
        await app.Services.GetRequiredService<ModelFollower>().CheckAsync(CancellationToken.None);
        var after = await client.GetFromJsonAsync<JsonElement>("/api/model");

        Assert.Equal("20261101T000000Z-aaaa", before.GetProperty("modelVersion").GetString());
        Assert.Equal("20261102T000000Z-bbbb", after.GetProperty("modelVersion").GetString());
        Assert.StartsWith($"s3://{bucket}/models/20261102T000000Z-bbbb/", after.GetProperty("source").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_model_zip_behind_the_pointer_is_refused_while_the_site_keeps_answering()
    {
        var bucket = await emulator.CreateBucketAsync("artifacts");
        await Publish(bucket, models.First, "20261101T000000Z-good");
        using var app = App(bucket);
        var client = app.CreateClient();

        await emulator.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "models/20261103T000000Z-bad/model.zip", ContentBody = "corrupt" });
        await new ModelRegistry(emulator.S3, bucket).PointToAsync(new ModelPointer("20261103T000000Z-bad", "ds", DateTimeOffset.UtcNow, 0.9, "test", null), CancellationToken.None);
        await app.Services.GetRequiredService<ModelFollower>().CheckAsync(CancellationToken.None);

        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("20261101T000000Z-good", ready.GetProperty("modelVersion").GetString());
    }

    [Fact]
    public async Task Starts_without_a_model_and_serves_the_first_one_that_appears()
    {
        var bucket = await emulator.CreateBucketAsync("artifacts");
        using var app = App(bucket);
        var client = app.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);

        await Publish(bucket, models.First, "20261101T000000Z-first");
        await app.Services.GetRequiredService<ModelFollower>().CheckAsync(CancellationToken.None);

        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }
}

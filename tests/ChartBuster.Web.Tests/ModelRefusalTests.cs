using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3.Model;
using ChartBuster.Model.Registry;
using ChartBuster.Web.Following;
using Microsoft.Extensions.DependencyInjection;

namespace ChartBuster.Web.Tests;

/// <summary>A model that cannot serve never takes the site down: it is refused, said so, and what served keeps serving.</summary>
public sealed class ModelRefusalTests(TrainedModels models, EmulatorFixture emulator) : IClassFixture<TrainedModels>, IClassFixture<EmulatorFixture>
{
    private static readonly object s_song = new
    {
        danceability = 0.7, energy = 0.8, key = 5, loudness = -5.2, mode = 1, speechiness = 0.05, acousticness = 0.1, instrumentalness = 0,
        liveness = 0.1, valence = 0.6, tempo = 120, duration_ms = 210000, time_signature = 4, chorus_hit = 35, sections = 9, decade = 2010,
    };

    private async Task Publish(string bucket, string folder, string version)
    {
        foreach (var file in Directory.GetFiles(folder))
        {
            await emulator.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"models/{version}/{Path.GetFileName(file)}", FilePath = file });
        }

        await new ModelRegistry(emulator.S3, bucket).PointToAsync(new ModelPointer(version, "ds", DateTimeOffset.UtcNow, 0.9, "test", null), CancellationToken.None);
    }

    [Fact]
    public async Task Starts_with_a_model_that_needs_a_column_songs_do_not_have_and_answers_503_problem_details()
    {
        using var app = new WebAppFactory(UnusableModels.NeedingAColumnSongsDoNotHave("wider"));
        var client = app.CreateClient();

        var ready = await client.GetAsync("/health/ready");
        var prediction = await client.PostAsJsonAsync("/api/predictions", s_song);
        var page = await client.GetStringAsync("/Model");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var refused = (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("refused");
        Assert.Contains("Popularity", refused.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, prediction.StatusCode);
        Assert.Equal("application/problem+json", prediction.Content.Headers.ContentType?.MediaType);
        Assert.Contains("id=\"refused-model\"", page, StringComparison.Ordinal);
        Assert.Contains("Popularity", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_that_cannot_predict_behind_the_pointer_is_refused_while_the_current_one_keeps_serving_and_says_why()
    {
        var bucket = await emulator.CreateBucketAsync("artifacts");
        await Publish(bucket, models.First, "20261101T000000Z-good");
        using var app = WebAppFactory.FollowingRegistry(models.First, emulator, bucket);
        var client = app.CreateClient();

        await Publish(bucket, UnusableModels.NeedingAColumnSongsDoNotHave("wider"), "20261102T000000Z-wide");
        await app.Services.GetRequiredService<ModelFollower>().CheckAsync(CancellationToken.None);
        var ready = await client.GetAsync("/health/ready");
        var prediction = await (await client.PostAsJsonAsync("/api/predictions", s_song)).Content.ReadFromJsonAsync<JsonElement>();
        var page = await client.GetStringAsync("/Model");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("20261101T000000Z-good", body.GetProperty("modelVersion").GetString());
        Assert.Equal("20261102T000000Z-wide", body.GetProperty("refused").GetProperty("modelVersion").GetString());
        Assert.Equal("20261101T000000Z-good", prediction.GetProperty("modelVersion").GetString());
        Assert.Contains("20261102T000000Z-wide", page, StringComparison.Ordinal);
        Assert.Contains("id=\"refused-model\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_is_not_retried_for_the_same_pointer_and_is_cleared_by_the_next_good_model()
    {
        var bucket = await emulator.CreateBucketAsync("artifacts");
        await Publish(bucket, UnusableModels.NeedingAColumnSongsDoNotHave("wider"), "20261102T000000Z-wide");
        using var app = WebAppFactory.FollowingRegistry(models.First, emulator, bucket);
        var client = app.CreateClient();
        var follower = app.Services.GetRequiredService<ModelFollower>();

        var again = await follower.CheckAsync(CancellationToken.None);
        await Publish(bucket, models.Second, "20261103T000000Z-next");
        var next = await follower.CheckAsync(CancellationToken.None);
        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");

        Assert.Equal(FollowOutcome.Unchanged, again);
        Assert.Equal(FollowOutcome.Loaded, next);
        Assert.Equal("20261103T000000Z-next", ready.GetProperty("modelVersion").GetString());
        Assert.False(ready.TryGetProperty("refused", out _));
    }

    [Fact]
    public async Task In_local_mode_a_model_file_replaced_by_one_that_cannot_serve_is_refused_and_the_loaded_one_keeps_serving()
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();

        app.ServeFolder(UnusableModels.NeedingAColumnSongsDoNotHave("wider"));
        var outcome = await app.Services.GetRequiredService<ModelFollower>().CheckAsync(CancellationToken.None);
        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        var model = await client.GetFromJsonAsync<JsonElement>("/api/model");
        var prediction = await (await client.PostAsJsonAsync("/api/predictions", s_song)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(FollowOutcome.Refused, outcome);
        Assert.Equal("v-first", ready.GetProperty("modelVersion").GetString());
        Assert.Contains("Popularity", ready.GetProperty("refused").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("v-first", model.GetProperty("modelVersion").GetString());
        Assert.Equal("first", model.GetProperty("datasetId").GetString());
        Assert.Equal("v-first", prediction.GetProperty("modelVersion").GetString());
    }

    [Fact]
    public async Task In_local_mode_the_version_comes_from_the_card_of_the_model_actually_loaded()
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();
        var first = await client.GetFromJsonAsync<JsonElement>("/api/model");

        // A half-copied folder: the first model's model.zip beside the second model's card and metrics.
        File.Copy(Path.Combine(models.Second, ModelFiles.Card), Path.Combine(Path.GetDirectoryName(app.ModelPath)!, ModelFiles.Card), overwrite: true);
        File.Copy(Path.Combine(models.Second, ModelFiles.Metrics), Path.Combine(Path.GetDirectoryName(app.ModelPath)!, ModelFiles.Metrics), overwrite: true);
        File.SetLastWriteTimeUtc(app.ModelPath, File.GetLastWriteTimeUtc(app.ModelPath).AddSeconds(1));
        await app.Services.GetRequiredService<ModelFollower>().CheckAsync(CancellationToken.None);
        var mixed = await client.GetFromJsonAsync<JsonElement>("/api/model");

        Assert.Equal("v-first", first.GetProperty("modelVersion").GetString());
        Assert.NotEqual("v-second", mixed.GetProperty("modelVersion").GetString());
        Assert.StartsWith("local-", mixed.GetProperty("modelVersion").GetString(), StringComparison.Ordinal);
        Assert.NotEqual("second", mixed.TryGetProperty("datasetId", out var dataset) ? dataset.GetString() : null);
    }
}

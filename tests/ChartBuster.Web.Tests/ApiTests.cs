using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChartBuster.Web.Following;
using Microsoft.Extensions.DependencyInjection;

namespace ChartBuster.Web.Tests;

public sealed class ApiTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    private static readonly Dictionary<string, object> s_song = new()
    {
        ["danceability"] = 0.7, ["energy"] = 0.8, ["key"] = 5, ["loudness"] = -5.2, ["mode"] = 1, ["speechiness"] = 0.05,
        ["acousticness"] = 0.1, ["instrumentalness"] = 0, ["liveness"] = 0.1, ["valence"] = 0.6, ["tempo"] = 120,
        ["duration_ms"] = 210000, ["time_signature"] = 4, ["chorus_hit"] = 35, ["sections"] = 9, ["decade"] = 2010,
    };

    private static Dictionary<string, object> SongWith(string field, object? value)
    {
        var song = new Dictionary<string, object>(s_song);
        if (value is null)
        {
            song.Remove(field);
        }
        else
        {
            song[field] = value;
        }

        return song;
    }

    [Fact]
    public async Task Predicts_one_song_with_the_serving_model_version()
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/api/predictions", s_song);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.InRange(body.GetProperty("hitProbability").GetDouble(), 0, 1);
        Assert.Equal(body.GetProperty("hitProbability").GetDouble() >= 0.5, body.GetProperty("predictedHit").GetBoolean());
        Assert.Equal("v-first", body.GetProperty("modelVersion").GetString());
    }

    [Fact]
    public async Task Predicts_an_array_of_songs_in_order()
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();
        var songs = Enumerable.Range(0, 40).Select(i => SongWith("energy", i / 40.0)).ToList();

        var body = await (await client.PostAsJsonAsync("/api/predictions", songs)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(40, body.GetArrayLength());
        var single = await (await client.PostAsJsonAsync("/api/predictions", songs[7])).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(single.GetProperty("hitProbability").GetDouble(), body[7].GetProperty("hitProbability").GetDouble(), 5);
    }

    [Fact]
    public async Task Answers_bad_fields_with_problem_details_naming_each_field()
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();
        object[] songs = [s_song, SongWith("energy", 1.5), SongWith("tempo", null), SongWith("key", "H"), SongWith("key", 4.5), SongWith("decade", 1965)];

        var response = await client.PostAsJsonAsync("/api/predictions", songs);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["[1].energy", "[2].tempo", "[3].key", "[4].key", "[5].decade"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Contains("from 0 to 1", errors.GetProperty("[1].energy")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("whole number", errors.GetProperty("[4].key")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("[]")]
    [InlineData("\"song\"")]
    public async Task Refuses_a_body_that_is_not_a_song_or_an_array_of_songs(string json)
    {
        using var app = new WebAppFactory(models.First);

        var response = await app.CreateClient().PostAsync("/api/predictions", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_malformed_body_gets_a_problem_without_a_stack_trace_and_security_headers()
    {
        using var app = new WebAppFactory(models.First);

        var response = await app.CreateClient().PostAsync("/api/predictions", new StringContent("{\"energy\": 0.5,", System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Describes_the_serving_model_and_reports_ready_with_its_version()
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();

        var model = await client.GetFromJsonAsync<JsonElement>("/api/model");
        var ready = await client.GetAsync("/health/ready");
        var live = await client.GetAsync("/health/live");

        Assert.Equal("v-first", model.GetProperty("modelVersion").GetString());
        Assert.Equal("first", model.GetProperty("datasetId").GetString());
        Assert.True(model.TryGetProperty("trainedAt", out _));
        Assert.InRange(model.GetProperty("metrics").GetProperty("auc").GetDouble(), 0.7, 1);
        Assert.Equal("artist", model.GetProperty("metrics").GetProperty("validationGrouping").GetString());
        Assert.InRange(model.GetProperty("metrics").GetProperty("songGroupedAuc").GetDouble(), 0.7, 1);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("v-first", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Without_a_model_it_is_live_but_not_ready_and_predictions_say_so()
    {
        using var app = new WebAppFactory(models.First);
        File.Delete(app.ModelPath);
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.PostAsJsonAsync("/api/predictions", s_song)).StatusCode);
    }

    [Fact]
    public async Task Refuses_a_corrupt_model_and_keeps_serving_the_old_one()
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();
        await client.GetAsync("/health/ready");

        await File.WriteAllTextAsync(app.ModelPath, "this is not a model");
        File.SetLastWriteTimeUtc(app.ModelPath, DateTime.UtcNow.AddDays(1));
        await app.Services.GetRequiredService<ModelFollower>().CheckAsync(CancellationToken.None);

        var body = await (await client.PostAsJsonAsync("/api/predictions", s_song)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("v-first", body.GetProperty("modelVersion").GetString());
    }

    [Fact]
    public async Task A_model_swap_during_200_parallel_requests_fails_none()
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();
        await client.GetAsync("/health/ready");

        var requests = Enumerable.Range(0, 200).Select(_ => client.PostAsJsonAsync("/api/predictions", new[] { s_song, s_song })).ToList();
        app.ServeFolder(models.Second);
        await app.Services.GetRequiredService<ModelFollower>().CheckAsync(CancellationToken.None);
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in responses)
        {
            var pair = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(pair[0].GetProperty("modelVersion").GetString(), pair[1].GetProperty("modelVersion").GetString());
            Assert.Equal(pair[0].GetProperty("hitProbability").GetDouble(), pair[1].GetProperty("hitProbability").GetDouble());
        }

        var after = await (await client.PostAsJsonAsync("/api/predictions", s_song)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("v-second", after.GetProperty("modelVersion").GetString());
    }

    [Fact]
    public async Task Answers_429_with_retry_after_past_the_rate_limit()
    {
        using var app = new WebAppFactory(models.First, new() { ["RateLimit:PermitsPerSecond"] = "1", ["RateLimit:Burst"] = "2" });
        var client = app.CreateClient();

        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add(await client.PostAsJsonAsync("/api/predictions", s_song));
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0].StatusCode);
        var limited = statuses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter is not null);
    }

    [Fact]
    public async Task Publishes_an_openapi_document_for_the_api()
    {
        using var app = new WebAppFactory(models.First);

        var document = await app.CreateClient().GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/predictions", document, StringComparison.Ordinal);
        Assert.Contains("/api/model", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_does_not_take_its_server_from_the_Host_header()
    {
        using var app = new WebAppFactory(models.First);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Host = "evil.example";

        var document = await (await app.CreateClient().SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Contains("/api/predictions", document, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", document, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_to_start_without_a_model_source()
    {
        using var app = new WebAppFactory(models.First, new() { ["CHARTBUSTER_MODEL_PATH"] = "" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("CHARTBUSTER_ARTIFACTS_BUCKET", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AwsCalls:MaxAttempts", "0")]
    [InlineData("AwsCalls:TimeoutSeconds", "-1")]
    public void Refuses_to_start_with_an_aws_call_policy_out_of_range(string setting, string value)
    {
        using var app = new WebAppFactory(models.First, new() { [setting] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(setting.Split(':')[1], error.ToString(), StringComparison.Ordinal);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ChartBuster.Web.Tests;

/// <summary>Alone in its collection: it measures the process's allocations, which parallel tests would blur.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasurements
{
    public const string Name = "allocation measurements";
}

/// <summary>No request can make the site hold or produce more than a bounded amount, whatever its shape.</summary>
[Collection(AllocationMeasurements.Name)]
public sealed class RequestLimitTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    private const long MiB = 1 << 20;

    private static readonly Dictionary<string, object> s_song = new()
    {
        ["danceability"] = 0.7, ["energy"] = 0.8, ["key"] = 5, ["loudness"] = -5.2, ["mode"] = 1, ["speechiness"] = 0.05,
        ["acousticness"] = 0.1, ["instrumentalness"] = 0, ["liveness"] = 0.1, ["valence"] = 0.6, ["tempo"] = 120,
        ["duration_ms"] = 210000, ["time_signature"] = 4, ["chorus_hit"] = 35, ["sections"] = 9, ["decade"] = 2010,
    };

    /// <summary>Bytes the whole process allocated while <paramref name="act"/> ran (the request's bytes are built before).</summary>
    private static async Task<(T Result, long Allocated)> Measure<T>(Func<Task<T>> act)
    {
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await act();
        return (result, GC.GetTotalAllocatedBytes(precise: true) - before);
    }

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    [Fact]
    public async Task A_4_MB_array_of_empty_objects_is_refused_with_one_message_in_a_few_megabytes()
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();
        await client.GetAsync("/health/ready");
        var items = ((4 << 20) - 2) / 3;
        var body = Encoding.ASCII.GetBytes("[" + string.Join(',', Enumerable.Repeat("{}", items)) + "]");

        var (response, allocated) = await Measure(() => client.PostAsync("/api/predictions", Json(body)));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("10,000 songs", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(allocated < 16 * MiB, $"the refused request allocated {allocated / MiB} MiB");
    }

    [Fact]
    public async Task Refuses_more_songs_than_the_configured_limit_with_one_clear_message()
    {
        using var app = new WebAppFactory(models.First, new() { ["RequestLimits:MaxSongsPerRequest"] = "5" });
        var client = app.CreateClient();

        var five = await client.PostAsJsonAsync("/api/predictions", Enumerable.Repeat(s_song, 5));
        var six = await client.PostAsJsonAsync("/api/predictions", Enumerable.Repeat(s_song, 6));

        Assert.Equal(HttpStatusCode.OK, five.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, six.StatusCode);
        Assert.Equal("application/problem+json", six.Content.Headers.ContentType?.MediaType);
        Assert.Contains("at most 5 songs", (await six.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/predictions")]
    [InlineData("/api/predictions?explain=true")]
    [InlineData("/api/predictions/curves")]
    public async Task Counts_the_songs_of_a_Spotify_audio_features_wrapper_and_of_every_song_endpoint(string path)
    {
        using var app = new WebAppFactory(models.First, new() { ["RequestLimits:MaxSongsPerRequest"] = "5" });

        var six = await app.CreateClient().PostAsJsonAsync(path, new { track = "x", audio_features = Enumerable.Repeat(s_song, 6) });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, six.StatusCode);
        Assert.Contains("at most 5 songs", (await six.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Returns_the_first_100_field_errors_with_the_total_count()
    {
        using var app = new WebAppFactory(models.First);
        var songs = Enumerable.Range(0, 500).Select(_ => new Dictionary<string, object>(s_song) { ["energy"] = 2, ["tempo"] = "fast" });

        var response = await app.CreateClient().PostAsJsonAsync("/api/predictions", songs);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(100, problem.GetProperty("errors").EnumerateObject().Count());
        Assert.Equal(1000, problem.GetProperty("errorCount").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty("[0].energy", out _));
    }

    [Fact]
    public async Task One_song_with_a_hundred_thousand_properties_is_read_in_one_pass_and_answered()
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();
        var song = new Dictionary<string, object>(s_song);
        for (var i = 0; i < 100_000; i++)
        {
            song[$"x{i}"] = 0;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(song);
        var (response, allocated) = await Measure(() => client.PostAsync("/api/predictions", Json(body)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(allocated < 32 * MiB, $"allocated {allocated / MiB} MiB");
    }

    [Fact]
    public async Task A_4_MB_upload_of_two_byte_rows_is_refused_in_a_few_megabytes()
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();
        var header = File.ReadLines(RepositoryPaths.DecadeFiles()[0]).First() + "\n";
        var body = Encoding.ASCII.GetBytes(header + string.Concat(Enumerable.Repeat("1\n", ((4 << 20) - header.Length - 1024) / 2)));
        await Forms.TokenAsync(client, "/Batch");

        var (response, allocated) = await Measure(() => Forms.UploadAsync(client, body, "rows.csv"));

        Assert.Contains("more than 50,000 rows", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(allocated < 32 * MiB, $"the refused upload allocated {allocated / MiB} MiB");
    }
}

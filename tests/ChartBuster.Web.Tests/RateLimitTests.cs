using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ChartBuster.Web.Tests;

/// <summary>
/// Per-client limits that hold behind the load balancer (the client's address from X-Forwarded-For, trusted only
/// from the configured proxy network), on the API, the pages and batch uploads, answered with 429 and Retry-After.
/// </summary>
public sealed class RateLimitTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    private const string LoadBalancer = "10.0.1.5";

    private static readonly Dictionary<string, object> s_song = new()
    {
        ["danceability"] = 0.7, ["energy"] = 0.8, ["key"] = 5, ["loudness"] = -5.2, ["mode"] = 1, ["speechiness"] = 0.05,
        ["acousticness"] = 0.1, ["instrumentalness"] = 0, ["liveness"] = 0.1, ["valence"] = 0.6, ["tempo"] = 120,
        ["duration_ms"] = 210000, ["time_signature"] = 4, ["chorus_hit"] = 35, ["sections"] = 9, ["decade"] = 2010,
    };

    private WebAppFactory App(Dictionary<string, string?> limits)
    {
        limits["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/16";
        return new WebAppFactory(models.First, limits);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string peer, string? forwardedFor = null, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add(TestPeerAddress.Header, peer);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return await client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> Predict(HttpClient client, string peer, string? forwardedFor = null, int songs = 1) =>
        Send(client, HttpMethod.Post, "/api/predictions", peer, forwardedFor, JsonContent.Create(Enumerable.Repeat(s_song, songs)));

    private static void AssertLimited(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "429 without a Retry-After of at least a second");
    }

    [Fact]
    public async Task Clients_behind_the_load_balancer_are_limited_each_by_their_own_address()
    {
        using var app = App(new() { ["RateLimit:PermitsPerSecond"] = "1", ["RateLimit:Burst"] = "2" });
        var client = app.CreateClient();

        var first = new[] { await Predict(client, LoadBalancer, "203.0.113.7"), await Predict(client, LoadBalancer, "203.0.113.7") };
        var third = await Predict(client, LoadBalancer, "203.0.113.7");
        var other = await Predict(client, LoadBalancer, "203.0.113.8");

        Assert.All(first, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        AssertLimited(third);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Addresses_a_client_writes_before_the_load_balancers_entry_are_ignored()
    {
        using var app = App(new() { ["RateLimit:PermitsPerSecond"] = "1", ["RateLimit:Burst"] = "2" });
        var client = app.CreateClient();

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            responses.Add(await Predict(client, LoadBalancer, $"192.0.2.{i}, 203.0.113.7"));
        }

        AssertLimited(responses[2]);
    }

    [Fact]
    public async Task A_client_outside_the_proxy_network_cannot_choose_its_address_with_X_Forwarded_For()
    {
        using var app = App(new() { ["RateLimit:PermitsPerSecond"] = "1", ["RateLimit:Burst"] = "2" });
        var client = app.CreateClient();

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            responses.Add(await Predict(client, "198.51.100.9", $"203.0.113.{i}"));
        }

        AssertLimited(responses[2]);
    }

    [Fact]
    public async Task An_API_client_is_limited_by_songs_as_well_as_by_requests()
    {
        using var app = App(new() { ["RateLimit:SongsPerSecond"] = "10", ["RateLimit:SongBurst"] = "20" });
        var client = app.CreateClient();

        var first = await Predict(client, "198.51.100.9", songs: 15);
        var second = await Predict(client, "198.51.100.9", songs: 15);
        var otherClient = await Predict(client, "198.51.100.10", songs: 15);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        AssertLimited(second);
        Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode);
    }

    [Fact]
    public async Task An_explained_song_and_a_curves_request_cost_the_songs_they_score()
    {
        using var app = App(new() { ["RateLimit:SongsPerSecond"] = "10", ["RateLimit:SongBurst"] = "1000" });
        var client = app.CreateClient();
        const string Client = "198.51.100.9";

        var explained = await Send(client, HttpMethod.Post, "/api/predictions?explain=true", Client, content: JsonContent.Create(s_song));
        var curves = await Send(client, HttpMethod.Post, "/api/predictions/curves", Client, content: JsonContent.Create(s_song));
        var plain = await Predict(client, Client);
        var explainedAgain = await Send(client, HttpMethod.Post, "/api/predictions?explain=true", Client, content: JsonContent.Create(s_song));

        Assert.Equal(HttpStatusCode.OK, explained.StatusCode); // 500 of 1,000
        Assert.Equal(HttpStatusCode.OK, curves.StatusCode); // 300 more
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode); // 1 more
        AssertLimited(explainedAgain); // 500 more than the ~200 left
    }

    [Fact]
    public async Task The_pages_answer_429_with_Retry_After_past_their_limit()
    {
        using var app = App(new() { ["RateLimit:PagePermitsPerSecond"] = "1", ["RateLimit:PageBurst"] = "2" });
        var client = app.CreateClient();

        // Ten quick pages against 2 at once and 1 a second: a 429 comes unless the ten take 8 s (a loaded machine
        // may refill a token between two of them, so which request is refused is not fixed).
        var pages = new List<HttpResponseMessage>();
        for (var i = 0; i < 10; i++)
        {
            pages.Add(await Send(client, HttpMethod.Get, i % 2 == 0 ? "/Model" : "/Batch", "198.51.100.9"));
        }

        Assert.Equal(HttpStatusCode.OK, pages[0].StatusCode);
        AssertLimited(pages.First(p => p.StatusCode != HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.OK, (await Send(client, HttpMethod.Get, "/health/ready", "198.51.100.9")).StatusCode);
    }

    [Fact]
    public async Task Batch_uploads_are_limited_per_client()
    {
        using var app = App(new() { ["RateLimit:BatchPermitsPerMinute"] = "1", ["RateLimit:BatchBurst"] = "1" });
        var client = app.CreateClient();
        var csv = Encoding.UTF8.GetBytes(string.Join('\n', File.ReadLines(RepositoryPaths.DecadeFiles()[3]).Take(20)));

        var first = await Forms.UploadAsync(client, csv, "songs.csv");
        var second = await Forms.UploadAsync(client, csv, "songs.csv");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        AssertLimited(second);
    }

    [Fact]
    public async Task A_batch_upload_beyond_the_concurrency_limit_answers_429_with_Retry_After()
    {
        using var app = App(new() { ["RateLimit:BatchConcurrency"] = "1" });
        app.UseKestrel(0); // a real server: the in-memory one reads a request's whole body before the app sees it
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        var token = await Forms.TokenAsync(client, "/Batch");
        var csv = Encoding.UTF8.GetBytes(string.Join('\n', File.ReadLines(RepositoryPaths.DecadeFiles()[3]).Take(20)));
        using var slow = new SlowUpload(Encoding.UTF8.GetBytes(string.Join('\n', File.ReadLines(RepositoryPaths.DecadeFiles()[3]).Take(600))));
        using var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        var file = new StreamContent(slow);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "songs", "songs.csv");

        var inProgress = Send(client, HttpMethod.Post, "/Batch", "198.51.100.9", content: form);
        await slow.Started.WaitAsync(TimeSpan.FromSeconds(10));
        var meanwhile = await Forms.UploadAsync(client, csv, "songs.csv");
        slow.Release();
        AssertLimited(meanwhile);
        Assert.Equal(HttpStatusCode.OK, (await inProgress).StatusCode);
    }

    /// <summary>A file body that sends its first 32 KB (enough to leave the client's buffers), then waits until released.</summary>
    private sealed class SlowUpload(byte[] content) : MemoryStream(content)
    {
        private const int SentFirst = 32 << 10;

        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;

        public void Release() => _released.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= SentFirst)
            {
                _started.TrySetResult();
                await _released.Task.WaitAsync(cancellationToken);
            }

            return await base.ReadAsync(buffer[..Math.Min(buffer.Length, SentFirst - (int)Math.Min(Position, SentFirst) is 0 ? buffer.Length : SentFirst - (int)Position)], cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace ChartBuster.Soak;

/// <summary>
/// A steady load on the site from many clients behind a "load balancer" (each request carries its client's address
/// in X-Forwarded-For): single songs and 100-song arrays on the API at a fixed rate, and a file scored on /Batch
/// every 15 seconds. Every answer is counted by status and second.
/// </summary>
internal sealed partial class Load(Uri site, int requestsPerSecond, int clients) : IDisposable
{
    private static readonly string s_song =
        "{\"danceability\":0.7,\"energy\":0.8,\"key\":5,\"loudness\":-5.2,\"mode\":1,\"speechiness\":0.05,\"acousticness\":0.1," +
        "\"instrumentalness\":0,\"liveness\":0.1,\"valence\":0.6,\"tempo\":120,\"duration_ms\":210000,\"time_signature\":4,\"chorus_hit\":35,\"sections\":9,\"decade\":2010}";

    private static readonly string s_array = "[" + string.Join(',', Enumerable.Repeat(s_song, 100)) + "]";

    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseCookies = false }) { BaseAddress = site, Timeout = TimeSpan.FromSeconds(10) };
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly SemaphoreSlim _inFlight = new(256);

    /// <summary>(second since start, kind, outcome) → count; outcome is the status code or the exception's type.</summary>
    public ConcurrentDictionary<(int Second, string Kind, string Outcome), int> Answers { get; } = new();

    public ConcurrentBag<double> LatenciesMs { get; } = [];

    public TimeSpan Elapsed => _clock.Elapsed;

    public async Task RunAsync(byte[] batchFile, CancellationToken stop)
    {
        var batches = BatchesAsync(batchFile, stop);
        var sent = 0L;
        var random = new Random(11);
        while (!stop.IsCancellationRequested)
        {
            var due = (long)(_clock.Elapsed.TotalSeconds * requestsPerSecond);
            for (; sent < due; sent++)
            {
                await _inFlight.WaitAsync(CancellationToken.None);
                _ = SendAsync(random.Next(clients), sent % 20 == 0);
            }

            await Task.Delay(10, CancellationToken.None);
        }

        await batches;
        for (var i = 0; i < 256; i++)
        {
            await _inFlight.WaitAsync(CancellationToken.None); // every request answered
        }
    }

    private static string Address(int client) => $"198.18.{client / 250}.{(client % 250) + 1}";

    private async Task SendAsync(int client, bool array)
    {
        var started = _clock.Elapsed;
        string outcome;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/predictions") { Content = new StringContent(array ? s_array : s_song, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Forwarded-For", Address(client));
            using var response = await _http.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            outcome = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            LatenciesMs.Add((_clock.Elapsed - started).TotalMilliseconds);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            outcome = e.GetType().Name;
        }
        finally
        {
            _inFlight.Release();
        }

        Answers.AddOrUpdate(((int)started.TotalSeconds, array ? "api 100 songs" : "api 1 song", outcome), 1, (_, n) => n + 1);
    }

    /// <summary>A browser's visit to /Batch: the form (its antiforgery token and cookie), then the upload.</summary>
    private async Task BatchesAsync(byte[] file, CancellationToken stop)
    {
        var client = 10_000;
        while (!stop.IsCancellationRequested)
        {
            var started = _clock.Elapsed;
            string outcome;
            try
            {
                using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = site, Timeout = TimeSpan.FromSeconds(30) };
                browser.DefaultRequestHeaders.Add("X-Forwarded-For", Address(client++));
                var token = Token().Match(await browser.GetStringAsync(new Uri("/Batch", UriKind.Relative), CancellationToken.None)).Groups[1].Value;
                using var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
                var content = new ByteArrayContent(file);
                content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
                form.Add(content, "songs", "songs.csv");
                using var response = await browser.PostAsync(new Uri("/Batch", UriKind.Relative), form, CancellationToken.None);
                outcome = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                outcome = e.GetType().Name;
            }

            Answers.AddOrUpdate(((int)started.TotalSeconds, "batch upload", outcome), 1, (_, n) => n + 1);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(15), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _inFlight.Dispose();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}

using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using ChartBuster.Web.Following;
using ChartBuster.Web.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace ChartBuster.Web.Tests.Telemetry;

/// <summary>The site's instruments record what happened: each answer with its outcome, refusals, model loads, the serving version.</summary>
public sealed class PredictionMetricsTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    private static readonly Dictionary<string, object> s_song = new()
    {
        ["danceability"] = 0.7, ["energy"] = 0.8, ["key"] = 5, ["loudness"] = -5.2, ["mode"] = 1, ["speechiness"] = 0.05,
        ["acousticness"] = 0.1, ["instrumentalness"] = 0, ["liveness"] = 0.1, ["valence"] = 0.6, ["tempo"] = 120,
        ["duration_ms"] = 210000, ["time_signature"] = 4, ["chorus_hit"] = 35, ["sections"] = 9, ["decade"] = 2010,
    };

    private static (HttpClient Client, MeterRecorder Recorder) Start(WebAppFactory app)
    {
        var client = app.CreateClient();
        return (client, new MeterRecorder(app.Services.GetRequiredService<IMeterFactory>()));
    }

    [Fact]
    public async Task A_predicted_song_is_counted_with_its_outcome_and_its_latency()
    {
        using var app = new WebAppFactory(models.First);
        var (client, recorder) = Start(app);
        using var _ = recorder;

        var body = await (await client.PostAsJsonAsync("/api/predictions", s_song)).Content.ReadFromJsonAsync<JsonElement>();

        var outcome = body.GetProperty("predictedHit").GetBoolean() ? "hit" : "not_hit";
        Assert.Equal(1, recorder.Sum(PredictionMetrics.Predictions, ("outcome", outcome), ("kind", PredictionKinds.ApiSingle)));
        Assert.Equal(1, recorder.Sum(PredictionMetrics.Predictions));
        var latency = Assert.Single(recorder.Of(PredictionMetrics.PredictionDuration));
        Assert.Equal(PredictionKinds.ApiSingle, latency.Tags["kind"]);
        Assert.InRange(latency.Value, 0, 10);
    }

    [Fact]
    public async Task An_array_is_counted_song_by_song_under_one_latency()
    {
        using var app = new WebAppFactory(models.First);
        var (client, recorder) = Start(app);
        using var _ = recorder;
        var songs = Enumerable.Range(0, 30).Select(i => new Dictionary<string, object>(s_song) { ["energy"] = i / 30.0 }).ToList();

        var body = await (await client.PostAsJsonAsync("/api/predictions", songs)).Content.ReadFromJsonAsync<JsonElement>();

        var hits = body.EnumerateArray().Count(a => a.GetProperty("predictedHit").GetBoolean());
        Assert.Equal(hits, recorder.Sum(PredictionMetrics.Predictions, ("outcome", "hit"), ("kind", PredictionKinds.ApiArray)));
        Assert.Equal(30 - hits, recorder.Sum(PredictionMetrics.Predictions, ("outcome", "not_hit"), ("kind", PredictionKinds.ApiArray)));
        Assert.Single(recorder.Of(PredictionMetrics.PredictionDuration));
    }

    [Fact]
    public async Task A_request_refused_as_input_is_counted_as_rejected_with_no_answer()
    {
        using var app = new WebAppFactory(models.First);
        var (client, recorder) = Start(app);
        using var _ = recorder;

        var response = await client.PostAsync("/api/predictions", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, recorder.Sum(PredictionMetrics.Predictions, ("outcome", "rejected"), ("kind", PredictionKinds.Api)));
        Assert.Equal(0, recorder.Sum(PredictionMetrics.Predictions, ("outcome", "hit")) + recorder.Sum(PredictionMetrics.Predictions, ("outcome", "not_hit")));
        Assert.Empty(recorder.Of(PredictionMetrics.PredictionDuration));
    }

    [Fact]
    public async Task A_batch_file_counts_its_scored_and_rejected_rows()
    {
        using var app = new WebAppFactory(models.First);
        var (client, recorder) = Start(app);
        using var _ = recorder;
        var csv = "danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms,time_signature,chorus_hit,sections,decade\n" +
            "0.7,0.8,5,-5,1,0.05,0.1,0,0.1,0.6,120,210000,4,35,9,2010\n" +
            "0.2,0.3,2,-12,0,0.04,0.8,0.6,0.1,0.2,80,300000,3,50,12,1990\n" +
            "0.7,7.5,5,-5,1,0.05,0.1,0,0.1,0.6,120,210000,4,35,9,2010\n";

        var response = await Forms.UploadAsync(client, System.Text.Encoding.UTF8.GetBytes(csv), "songs.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, recorder.Sum(PredictionMetrics.Predictions, ("outcome", "hit"), ("kind", PredictionKinds.BatchPage))
            + recorder.Sum(PredictionMetrics.Predictions, ("outcome", "not_hit"), ("kind", PredictionKinds.BatchPage)));
        Assert.Equal(1, recorder.Sum(PredictionMetrics.Predictions, ("outcome", "rejected"), ("kind", PredictionKinds.BatchPage)));
        Assert.Equal(PredictionKinds.BatchPage, Assert.Single(recorder.Of(PredictionMetrics.PredictionDuration)).Tags["kind"]);
    }

    [Fact]
    public async Task The_prediction_form_counts_its_answer_and_a_song_it_cannot_read_as_rejected()
    {
        using var app = new WebAppFactory(models.First);
        var (_, recorder) = Start(app);
        using var __ = recorder;
        var (client, token) = await PredictPageTests.OpenPage(app);
        var opened = recorder.Sum(PredictionMetrics.Predictions, ("kind", PredictionKinds.Form)); // the typical song, scored on opening

        await client.PostAsync("/", PredictPageTests.Form(token));
        await client.PostAsync("/", PredictPageTests.Form(token, ("energy", "7.5")));

        Assert.True(opened >= 1, "opening the page scores the typical song");
        Assert.Equal(opened + 1, recorder.Sum(PredictionMetrics.Predictions, ("outcome", "hit"), ("kind", PredictionKinds.Form))
            + recorder.Sum(PredictionMetrics.Predictions, ("outcome", "not_hit"), ("kind", PredictionKinds.Form)));
        Assert.Equal(1, recorder.Sum(PredictionMetrics.Predictions, ("outcome", "rejected"), ("kind", PredictionKinds.Form)));
        Assert.All(recorder.Of(PredictionMetrics.PredictionDuration), d => Assert.Equal(PredictionKinds.Form, d.Tags["kind"]));
    }

    [Fact]
    public async Task A_refused_model_load_is_counted_and_the_serving_version_stays_observed()
    {
        using var app = new WebAppFactory(models.First);
        var (_, recorder) = Start(app);
        using var __ = recorder;

        app.ServeFolder(UnusableModels.NeedingAColumnSongsDoNotHave("wider"));
        var outcome = await app.Services.GetRequiredService<ModelFollower>().CheckAsync(CancellationToken.None);

        Assert.Equal(FollowOutcome.Refused, outcome);
        Assert.Equal(1, recorder.Sum(PredictionMetrics.ModelLoads, ("outcome", "refused")));
        Assert.Equal(0, recorder.Sum(PredictionMetrics.ModelLoads, ("outcome", "loaded")));
        var serving = Assert.Single(recorder.Observe(PredictionMetrics.ServingModel));
        Assert.Equal(("v-first", 1.0), (serving.Tags["model_version"], serving.Value));
    }

    [Fact]
    public async Task A_new_model_load_is_counted_and_its_version_observed()
    {
        using var app = new WebAppFactory(models.First);
        var (_, recorder) = Start(app);
        using var __ = recorder;

        app.ServeFolder(models.Second);
        await app.Services.GetRequiredService<ModelFollower>().CheckAsync(CancellationToken.None);

        Assert.Equal(1, recorder.Sum(PredictionMetrics.ModelLoads, ("outcome", "loaded")));
        Assert.Equal("v-second", Assert.Single(recorder.Observe(PredictionMetrics.ServingModel)).Tags["model_version"]);
    }

    [Fact]
    public async Task The_metrics_port_serves_the_predictions_and_the_request_metrics_to_prometheus()
    {
        var port = FreePort();
        using var app = new WebAppFactory(models.First, new() { ["CHARTBUSTER_METRICS_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var client = app.CreateClient();
        using var scraper = new HttpClient();

        await client.PostAsJsonAsync("/api/predictions", s_song);
        var text = await scraper.GetStringAsync(new Uri($"http://localhost:{port}/metrics"));

        Assert.Contains("chartbuster_predictions_total{", text, StringComparison.Ordinal);
        Assert.Contains("chartbuster_prediction_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("chartbuster_model_serving{", text, StringComparison.Ordinal);
        Assert.Contains("model_version=\"v-first\"", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CHARTBUSTER_METRICS_PORT", "94x4", "CHARTBUSTER_METRICS_PORT must be a port number (1 to 65535); it is '94x4'.")]
    [InlineData("CHARTBUSTER_METRICS_PORT", "70000", "CHARTBUSTER_METRICS_PORT must be a port number (1 to 65535); it is '70000'.")]
    [InlineData("CHARTBUSTER_EMBEDDED_METRICS", "yes", "CHARTBUSTER_EMBEDDED_METRICS must be true or false; it is 'yes'.")]
    public void A_telemetry_setting_it_cannot_use_stops_the_start_with_the_reason(string variable, string value, string reason)
    {
        using var app = new WebAppFactory(models.First, new() { [variable] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(reason, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_telemetry_option_out_of_range_fails_validation_at_start()
    {
        using var app = new WebAppFactory(models.First, new() { ["Telemetry:ExportSeconds"] = "0" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("ExportSeconds", error.ToString(), StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

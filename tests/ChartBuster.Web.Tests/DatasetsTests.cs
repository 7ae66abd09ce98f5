using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChartBuster.Songs.Journeys;

namespace ChartBuster.Web.Tests;

/// <summary>The /datasets pages and the datasets API, the app as deployed, reading journeys from a bucket of the emulator.</summary>
public sealed partial class DatasetsTests(TrainedModels models, EmulatorFixture emulator) : IClassFixture<TrainedModels>, IClassFixture<EmulatorFixture>
{
    private const string OneClassError = "only one class in the file: all 300 songs have target 0; a model needs songs that charted and songs that did not";

    private async Task<JourneySeeder> Bucket() => new(emulator.S3, await emulator.CreateBucketAsync("ready"));

    private WebAppFactory App(JourneySeeder seeder, params (string Key, string Value)[] settings)
    {
        var all = emulator.Environment.ToDictionary(p => p.Key, p => (string?)p.Value);
        all["CHARTBUSTER_READY_BUCKET"] = seeder.Bucket;
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return new WebAppFactory(models.First, all);
    }

    /// <summary>A good file promoted (its model serves), a file missing a column, and a poison file dead-lettered.</summary>
    internal static async Task<(string Good, string Refused, string Poison, Songs.CleaningReport GoodReport)> ThreeUploads(JourneySeeder seeder)
    {
        var good = await seeder.UploadAsync("dataset-of-60s.csv", File.ReadAllText(RepositoryPaths.DecadeFiles()[2]), JourneySeeder.Morning);
        await seeder.TrainAsync(good.Id, JourneySeeder.Morning.AddMinutes(1), "v-first", promoted: true, 0.8712, null, null);
        var refused = await seeder.UploadAsync("no-tempo.csv", JourneySeeder.WithoutColumn("tempo"), JourneySeeder.Morning.AddHours(1));
        var poison = await seeder.UploadAsync("all-misses.csv", JourneySeeder.OneClass(300), JourneySeeder.Morning.AddHours(2));
        await seeder.DeadLetterAsync(poison.Id, JourneySeeder.Morning.AddHours(2).AddMinutes(1), OneClassError);
        return (good.Id, refused.Id, poison.Id, good.Report);
    }

    private static string N(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    private static List<string> Rows(string html) => [.. DatasetRow().Matches(html).Select(m => m.Groups[1].Value)];

    private static string Row(string html, string id) => DatasetRowBody().Matches(html).Single(m => m.Groups[1].Value == id).Groups[2].Value;

    private static string Cell(string row, string name) => Regex.Match(row, $"data-rows=\"{name}\">([^<]*)<").Groups[1].Value;

    [Fact]
    public async Task Lists_every_upload_newest_first_with_its_state_counts_and_model()
    {
        var seeder = await Bucket();
        var (good, refused, poison, report) = await ThreeUploads(seeder);
        using var app = App(seeder);

        var html = await app.CreateClient().GetStringAsync("/datasets");

        Assert.Equal([poison, refused, good], Rows(html));
        var goodRow = Row(html, good);
        Assert.Contains("data-state=\"promoted\">promoted<", goodRow, StringComparison.Ordinal);
        Assert.Contains("class=\"state tone-good\"", goodRow, StringComparison.Ordinal);
        Assert.True(report.RowsRead > 5000 && report.DuplicatesRemoved > 0);
        Assert.Equal(
            (N(report.RowsRead), N(report.RowsKept), N(report.RowsRejected), N(report.DuplicatesRemoved + report.ConflictingTargetRowsRemoved)),
            (Cell(goodRow, "read"), Cell(goodRow, "kept"), Cell(goodRow, "rejected"), Cell(goodRow, "duplicates")));
        Assert.Contains(">v-first</a> <span class=\"state tone-good\">serving</span>", goodRow, StringComparison.Ordinal);
        Assert.Contains("data-auc=\"model\">0.871<", goodRow, StringComparison.Ordinal);
        Assert.Contains("data-auc=\"serving\">none serving<", goodRow, StringComparison.Ordinal);
        Assert.Contains(">dataset-of-60s.csv</a>", goodRow, StringComparison.Ordinal);
        Assert.Contains("2026-11-23 09:00:00", goodRow, StringComparison.Ordinal);
        var refusedRow = Row(html, refused);
        Assert.Contains("data-state=\"refused\">refused<", refusedRow, StringComparison.Ordinal);
        Assert.Contains("class=\"state tone-bad\"", refusedRow, StringComparison.Ordinal);
        Assert.Equal("0", Cell(refusedRow, "kept"));
        var poisonRow = Row(html, poison);
        Assert.Contains("data-state=\"dead-lettered\">failed, dead-lettered<", poisonRow, StringComparison.Ordinal);
        Assert.Equal(("300", "300"), (Cell(poisonRow, "read"), Cell(poisonRow, "kept")));
        Assert.Contains("<a href=\"/datasets\" aria-current=\"page\">Datasets</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_lists_the_same_facts_and_describes_one_dataset()
    {
        var seeder = await Bucket();
        var (good, refused, poison, report) = await ThreeUploads(seeder);
        using var app = App(seeder);
        var client = app.CreateClient();

        var list = await client.GetFromJsonAsync<JsonElement>("/api/datasets");
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/datasets/{poison}");

        var datasets = list.GetProperty("datasets").EnumerateArray().ToList();
        Assert.Equal([poison, refused, good], datasets.Select(d => d.GetProperty("datasetId").GetString()));
        Assert.Equal(["dead-lettered", "refused", "promoted"], datasets.Select(d => d.GetProperty("state").GetProperty("code").GetString()));
        Assert.Equal(report.RowsKept, datasets[2].GetProperty("rows").GetProperty("kept").GetInt64());
        Assert.Equal("v-first", datasets[2].GetProperty("model").GetProperty("version").GetString());
        Assert.True(datasets[2].GetProperty("model").GetProperty("servesNow").GetBoolean());
        Assert.Equal(0.8712, datasets[2].GetProperty("model").GetProperty("auc").GetDouble());
        Assert.Equal(JsonValueKind.Null, list.GetProperty("next").ValueKind);
        var timeline = detail.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("stage").GetString()).ToList();
        Assert.Equal(
            ["received", "prepared", "training-started", "training-failed", "training-started", "training-failed", "training-started", "training-failed", "dead-lettered"],
            timeline);
        Assert.Equal(OneClassError, detail.GetProperty("timeline")[8].GetProperty("error").GetString());
        Assert.Equal("all-misses.csv", detail.GetProperty("summary").GetProperty("fileName").GetString());
        var missing = (await client.GetFromJsonAsync<JsonElement>($"/api/datasets/{refused}")).GetProperty("preparation").GetProperty("missingColumns");
        Assert.Equal(["tempo"], missing.EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task A_dataset_page_shows_its_timeline_rejects_by_reason_first_rejected_rows_and_model_link()
    {
        var seeder = await Bucket();
        var csv = File.ReadAllText(RepositoryPaths.DecadeFiles()[2]).Replace(",0.578,", ",1.578,", StringComparison.Ordinal);
        var (id, report) = await seeder.UploadAsync("songs-with-a-bad-value.csv", csv, JourneySeeder.Morning);
        await seeder.TrainAsync(id, JourneySeeder.Morning.AddMinutes(1), "v-second", promoted: false, 0.801, 0.874, "v-first");
        using var app = App(seeder);

        var html = await app.CreateClient().GetStringAsync($"/datasets/{id}");

        Assert.Contains("<h1>songs-with-a-bad-value.csv</h1>", html, StringComparison.Ordinal);
        Assert.Contains("data-state=\"gate-rejected\">rejected by the quality gate<", html, StringComparison.Ordinal);
        Assert.Equal(
            ["received", "prepared", "training-started", "gate-rejected"],
            Regex.Matches(html, "<li class=\"tone-[a-z]+\" data-stage=\"([a-z-]+)\">").Select(m => m.Groups[1].Value));
        Assert.Contains("<a href=\"/Model#version-v-second\" id=\"model-link\">v-second</a>", html, StringComparison.Ordinal);
        Assert.Contains("v-first: AUC 0.874 on the same songs", html, StringComparison.Ordinal);
        Assert.Contains("(rule: no worse than the serving model on the same songs (tolerance 0.0050))", html, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>out of range</td><td class=\"num\">{report.RejectedByReason["out_of_range"]:N0}</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<td>danceability</td><td><code>1.578</code></td><td>out of range</td>", html, StringComparison.Ordinal);
        var lines = Regex.Matches(html, "<tr><td class=\"num\">([0-9]+)</td>").Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(lines.Order(), lines);
        Assert.InRange(lines.Count, 1, 20);
    }

    [Fact]
    public async Task Reads_only_the_head_of_a_large_rejects_file_and_says_there_is_more()
    {
        var seeder = await Bucket();
        var (id, _) = await seeder.UploadAsync("dataset-of-60s.csv", File.ReadAllText(RepositoryPaths.DecadeFiles()[2]), JourneySeeder.Morning);
        var rejects = "line,column,value,reason,uri,track\n" + string.Concat(Enumerable.Range(2, 100_000).Select(i => $"{i},energy,{i}.5,out_of_range,spotify:track:{i},\"Song, {i}\"\n"));
        await emulator.S3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = seeder.Bucket, Key = $"datasets/{id}/rejects.csv", ContentBody = rejects });
        using var app = App(seeder, ("Datasets:RejectsPreviewBytes", "2048"), ("Datasets:RejectsPreviewRows", "200"));

        var html = await app.CreateClient().GetStringAsync($"/datasets/{id}");

        var lines = Regex.Matches(html, "<tr><td class=\"num\">([0-9]+)</td><td>energy</td>").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.InRange(lines.Count, 20, 60); // what fits in 2 KiB, and no row cut in half
        Assert.Equal(Enumerable.Range(2, lines.Count), lines);
        Assert.Contains($"Song, {lines[^1]}</td>", html, StringComparison.Ordinal);
        Assert.Contains($"rows of datasets/{id}/rejects.csv in the ready bucket, which lists them all", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_through_hundreds_of_datasets_newest_first_without_repeating_one()
    {
        var seeder = await Bucket();
        var expected = new List<string>();
        foreach (var i in Enumerable.Range(0, 250))
        {
            // Index entries alone: what paging reads. The newest upload is the last one written.
            var id = $"song-file-{i:D3}";
            await seeder.WriteAsync(JourneyRecords.Received(id, new UploadFacts("raw", $"{id}.csv", $"{id}.csv", 10, "e", JourneySeeder.Morning.AddMinutes(i)), JourneySeeder.Morning.AddMinutes(i)));
            await new JourneyRecorder((key, content, ct) => emulator.S3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = seeder.Bucket, Key = key, InputStream = new MemoryStream(content) }, ct), (_, e) => throw e)
                .WriteIndexAsync(id, new UploadFacts("raw", $"{id}.csv", $"{id}.csv", 10, "e", JourneySeeder.Morning.AddMinutes(i)), CancellationToken.None);
            expected.Insert(0, id);
        }

        using var app = App(seeder);
        var client = app.CreateClient();
        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>(after is null ? "/api/datasets?limit=100" : $"/api/datasets?limit=100&after={after}");
            seen.AddRange(page.GetProperty("datasets").EnumerateArray().Select(d => d.GetProperty("datasetId").GetString()!));
            after = page.GetProperty("next").GetString();
            pages++;
        }
        while (after is not null);

        Assert.Equal(expected, seen);
        Assert.Equal(3, pages);
        var html = await client.GetStringAsync("/datasets");
        Assert.Equal(expected.Take(20), Rows(html));
        var older = Regex.Match(html, "href=\"/datasets\\?after=([0-9a-z-]+)\" rel=\"next\"").Groups[1].Value;
        Assert.Equal(expected.Skip(20).Take(20), Rows(await client.GetStringAsync($"/datasets?after={older}")));
    }

    [Fact]
    public async Task Serves_a_listing_from_memory_for_a_few_seconds()
    {
        var seeder = await Bucket();
        await seeder.UploadAsync("first.csv", JourneySeeder.OneClass(20), JourneySeeder.Morning);
        using var app = App(seeder, ("Datasets:CacheSeconds", "120"));
        var client = app.CreateClient();
        var before = Rows(await client.GetStringAsync("/datasets"));

        await seeder.UploadAsync("second.csv", JourneySeeder.OneClass(20), JourneySeeder.Morning.AddHours(1));

        Assert.Equal(before, Rows(await client.GetStringAsync("/datasets")));
        using var uncached = App(seeder, ("Datasets:CacheSeconds", "0"));
        Assert.Equal(2, Rows(await uncached.CreateClient().GetStringAsync("/datasets")).Count);
    }

    [Theory]
    [InlineData("/api/datasets/unknown-dataset-0001", HttpStatusCode.NotFound, "Unknown dataset")]
    [InlineData("/api/datasets/..%2Fmodels", HttpStatusCode.BadRequest, "Not a dataset id.")]
    [InlineData("/api/datasets/Upper-Case", HttpStatusCode.BadRequest, "Not a dataset id.")]
    [InlineData("/api/datasets?after=..%2F..%2Fmodels", HttpStatusCode.BadRequest, "The page request is invalid.")]
    [InlineData("/api/datasets?limit=1000", HttpStatusCode.BadRequest, "The page request is invalid.")]
    public async Task The_api_answers_unknown_and_malformed_ids_with_problem_details(string path, HttpStatusCode status, string title)
    {
        var seeder = await Bucket();
        using var app = App(seeder);

        using var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(title, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("/datasets/unknown-dataset-0001")]
    [InlineData("/datasets/..%2Fmodels")]
    [InlineData("/datasets?after=not-a-cursor")]
    public async Task The_pages_answer_unknown_ids_with_404_and_bad_cursors_with_400(string path)
    {
        var seeder = await Bucket();
        using var app = App(seeder);

        using var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(path.Contains("after", StringComparison.Ordinal) ? HttpStatusCode.BadRequest : HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_notification_link_to_a_journey_record_opens_the_dataset_page()
    {
        var seeder = await Bucket();
        using var app = App(seeder);
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var record = await client.GetAsync("/journeys/datasets/no-tempo-0123456789abcdef/refused.json");
        using var bad = await client.GetAsync("/journeys/datasets/no-tempo-0123456789abcdef/..%2Frefused.json");

        Assert.Equal(HttpStatusCode.Redirect, record.StatusCode);
        Assert.Equal("/datasets/no-tempo-0123456789abcdef", record.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_datasets_api()
    {
        using var app = App(await Bucket());

        var document = await app.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/datasets", out var list));
        Assert.True(paths.GetProperty("/api/datasets/{datasetId}").GetProperty("get").GetProperty("responses").TryGetProperty("404", out _));
        Assert.Contains(list.GetProperty("get").GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "after");
    }

    [Fact]
    public async Task A_site_without_the_ready_bucket_says_it_has_no_datasets()
    {
        using var app = new WebAppFactory(models.First);
        var client = app.CreateClient();

        var html = await client.GetStringAsync("/datasets");
        using var api = await client.GetAsync("/api/datasets");

        Assert.Contains("not connected to the pipeline", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
    }

    [Fact]
    public async Task An_unreadable_bucket_is_a_notice_on_the_page_and_503_in_the_api()
    {
        var seeder = new JourneySeeder(emulator.S3, "no-such-bucket-for-datasets");
        using var app = App(seeder);
        var client = app.CreateClient();

        var html = await client.GetStringAsync("/datasets");
        using var api = await client.GetAsync("/api/datasets");

        Assert.Contains("cannot be read right now", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
    }

    [GeneratedRegex("<tr data-dataset=\"([a-z0-9-]+)\">")]
    private static partial Regex DatasetRow();

    [GeneratedRegex("<tr data-dataset=\"([a-z0-9-]+)\">(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex DatasetRowBody();
}

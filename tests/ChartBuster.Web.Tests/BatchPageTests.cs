using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace ChartBuster.Web.Tests;

public sealed partial class BatchPageTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    private static Task<HttpResponseMessage> Upload(WebAppFactory app, byte[] content, string fileName, string send = "download") =>
        Forms.UploadAsync(app.CreateClient(), content, fileName, send);

    [Fact]
    public async Task Returns_the_file_scored_with_rejected_rows_and_their_reasons()
    {
        using var app = new WebAppFactory(models.First);
        var lines = File.ReadAllLines(RepositoryPaths.DecadeFiles()[3]).Take(101).ToArray();
        lines[5] = lines[5].Replace(",spotify:", ",,spotify:", StringComparison.Ordinal);

        var response = await Upload(app, Encoding.UTF8.GetBytes(string.Join('\n', lines)), "../../etc/passwd.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("scored-v-first.csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var scored = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(101, scored.Length);
        Assert.EndsWith("hit_probability,predicted_hit,reject_reason", scored[0], StringComparison.Ordinal);
        Assert.EndsWith(",,,wrong_field_count", scored[5], StringComparison.Ordinal);
        Assert.Equal(("99", "1"), (response.Headers.GetValues("X-Rows-Scored").Single(), response.Headers.GetValues("X-Rows-Rejected").Single()));
    }

    [Fact]
    public async Task Explains_a_file_without_the_audio_features()
    {
        using var app = new WebAppFactory(models.First);

        var response = await Upload(app, "track,artist\nA,B\n"u8.ToArray(), "names.csv");

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("id=\"batch-error\"", html, StringComparison.Ordinal);
        Assert.Contains("danceability", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summarises_a_file_on_the_page_with_rejects_by_reason_and_the_top_songs_sorted()
    {
        using var app = new WebAppFactory(models.First);
        var lines = File.ReadLines(RepositoryPaths.DecadeFiles()[1]).Where(l => !l.Contains('"', StringComparison.Ordinal)).Take(61).ToArray();
        lines[5] = lines[5].Replace(",spotify:", ",,spotify:", StringComparison.Ordinal);
        lines[9] = string.Join(',', lines[9].Split(',').Select((v, i) => i == 4 ? "1.5" : v));

        var response = await Upload(app, Encoding.UTF8.GetBytes(string.Join('\n', lines)), "songs.csv", send: "summary");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<dd id=\"rows-scored\">58</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"rows-rejected\">2</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>wrong field count</td><td class=\"num\">1</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>out of range</td><td class=\"num\">1</td></tr>", html, StringComparison.Ordinal);
        var probabilities = TopProbability().Matches(html).Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(25, probabilities.Count);
        Assert.Equal(probabilities.OrderDescending(), probabilities);
        Assert.Contains(lines.Skip(1).Select(l => l.Split(',')[0]), track => html.Contains($"<td>{WebUtility.HtmlEncode(track)}</td>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Offers_a_template_that_scores_without_a_reject()
    {
        using var app = new WebAppFactory(models.First);

        var template = await app.CreateClient().GetAsync("/Batch?handler=Template");
        var bytes = await template.Content.ReadAsByteArrayAsync();
        var scored = await Upload(app, bytes, "template.csv");

        Assert.Equal("text/csv", template.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("track,artist,danceability,energy,key,loudness,mode,", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Contains("Typical 2010s hit,ChartBuster preset (median of real songs),", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal("0", scored.Headers.GetValues("X-Rows-Rejected").Single());
        Assert.True(int.Parse(scored.Headers.GetValues("X-Rows-Scored").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 7);
    }

    [Fact]
    public async Task A_file_named_e_gets_a_clean_error_message()
    {
        using var app = new WebAppFactory(models.First);

        var html = await (await Upload(app, "track,artist\nA,B\n"u8.ToArray(), "e")).Content.ReadAsStringAsync();

        var error = Regex.Match(html, "id=\"batch-error\"[^>]*>([^<]*)<").Groups[1].Value;
        Assert.StartsWith("The file cannot be scored: missing column(s) danceability, energy", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scored_cells_a_spreadsheet_would_run_as_formulas_are_prefixed_and_negative_numbers_are_kept()
    {
        using var app = new WebAppFactory(models.First);
        var lines = File.ReadAllLines(RepositoryPaths.DecadeFiles()[3]).Take(6).ToArray();
        string[] tracks = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+SUM(A1)", "-2+3", "@cmd", "\tTab"];
        for (var i = 1; i <= 5; i++)
        {
            lines[i] = $"\"{tracks[i - 1].Replace("\"", "\"\"", StringComparison.Ordinal)}\"" + lines[i][lines[i].IndexOf(',', StringComparison.Ordinal)..];
        }

        var response = await Upload(app, Encoding.UTF8.GetBytes(string.Join('\n', lines)), "songs.csv");

        var scored = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, scored.Length);
        Assert.StartsWith("\"'=HYPERLINK(", scored[1], StringComparison.Ordinal);
        Assert.StartsWith("'+SUM(A1),", scored[2], StringComparison.Ordinal);
        Assert.StartsWith("'-2+3,", scored[3], StringComparison.Ordinal);
        Assert.StartsWith("'@cmd,", scored[4], StringComparison.Ordinal);
        Assert.StartsWith("'\tTab,", scored[5], StringComparison.Ordinal);
        var loudness = lines.Skip(1).Select(l => l.Split(',')[^13]).ToList(); // the real rows' loudness, negative decibels
        Assert.All(loudness, l => Assert.StartsWith("-", l, StringComparison.Ordinal));
        Assert.All(scored.Skip(1).Zip(loudness), p => Assert.Contains($",{p.Second},", p.First, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refuses_a_file_with_more_rows_than_the_batch_limit()
    {
        using var app = new WebAppFactory(models.First, new() { ["RequestLimits:MaxBatchRows"] = "50" });
        var lines = File.ReadAllLines(RepositoryPaths.DecadeFiles()[3]).Take(101);

        var html = await (await Upload(app, Encoding.UTF8.GetBytes(string.Join('\n', lines)), "songs.csv")).Content.ReadAsStringAsync();

        Assert.Contains("more than 50 rows", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<td class=\"num\" data-value=\"([0-9.E-]+)\">[0-9.]+ %</td>")]
    private static partial Regex TopProbability();
}

using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChartBuster.Songs;
using ChartBuster.Songs.Journeys;
using Microsoft.Playwright;

namespace ChartBuster.EndToEnd.Tests;

/// <summary>Every upload's fate on the local stack: the datasets page, the API and the terminal say the same.</summary>
public sealed partial class PipelineTests
{
    private const string OneClassError = "only one class in the file: all 300 songs have target 0; a model needs songs that charted and songs that did not";

    private async Task<JsonElement?> DatasetAsync(string fileName)
    {
        var page = await stack.Web.GetFromJsonAsync<JsonElement>(new Uri("/api/datasets?limit=100", UriKind.Relative));
        foreach (var dataset in page.GetProperty("datasets").EnumerateArray())
        {
            if (dataset.GetProperty("fileName").GetString() == fileName)
            {
                return dataset;
            }
        }

        return null;
    }

    private async Task<string?> StateAsync(string fileName) =>
        await DatasetAsync(fileName) is { } dataset ? dataset.GetProperty("state").GetProperty("code").GetString() : null;

    private async Task<CleaningReport> ReportAsync(string datasetId)
    {
        using var body = await stack.S3.GetObjectAsync(LocalStackFixture.ReadyBucket, JourneyKeys.PreparedFile(datasetId, DatasetFileNames.Report));
        return (await JsonSerializer.DeserializeAsync(body.ResponseStream, SongJsonContext.Default.CleaningReport))!;
    }

    private static string OneClassFile(int rows)
    {
        var lines = File.ReadAllLines(RepositoryPaths.DecadeFiles().Single(f => f.EndsWith("-60s.csv", StringComparison.Ordinal)));
        return string.Join('\n', lines.Take(1).Concat(lines.Skip(1).Where(l => l.EndsWith(",0", StringComparison.Ordinal)).Take(rows))) + "\n";
    }

    [Fact]
    public async Task The_datasets_page_the_api_and_the_terminal_tell_a_good_a_refused_and_a_poison_upload_apart()
    {
        var deadBefore = await MessagesAsync("chartbuster-training-dlq");
        var refusedCsv = File.ReadAllText(RepositoryPaths.DecadeFiles().Single(f => f.EndsWith("-70s.csv", StringComparison.Ordinal))).Replace(",tempo,", ",bpm,", StringComparison.Ordinal);
        await stack.UploadAsync(WriteTemporaryCsv("seventies-without-tempo.csv", refusedCsv));
        await stack.UploadAsync(WriteTemporaryCsv("all-misses.csv", OneClassFile(300)));

        await Waiting.Until(async () => await StateAsync("seventies-without-tempo.csv") == "refused", "the refusal on the datasets API", TimeSpan.FromSeconds(60));
        await Waiting.Until(async () => await StateAsync("all-misses.csv") == "dead-lettered", "the poison file to be dead-lettered", TimeSpan.FromSeconds(120));
        await Waiting.Until(async () => await MessagesAsync("chartbuster-training-dlq") == deadBefore + 1, "the dead letter to be moved", TimeSpan.FromSeconds(30));

        // The API: each dataset's state and the counts of its report.json.
        var good = (await DatasetAsync("dataset-of-80s.csv"))!.Value;
        var refused = (await DatasetAsync("seventies-without-tempo.csv"))!.Value;
        var poison = (await DatasetAsync("all-misses.csv"))!.Value;
        Assert.Equal("promoted", good.GetProperty("state").GetProperty("code").GetString());
        Assert.Equal(stack.FirstModelVersion, good.GetProperty("model").GetProperty("version").GetString());
        Assert.InRange(good.GetProperty("model").GetProperty("auc").GetDouble(), 0.75, 1);
        var goodId = good.GetProperty("datasetId").GetString()!;
        var goodReport = await ReportAsync(goodId);
        Assert.Equal(goodReport.RowsRead, good.GetProperty("rows").GetProperty("read").GetInt64());
        Assert.Equal(goodReport.RowsKept, good.GetProperty("rows").GetProperty("kept").GetInt64());
        Assert.Equal(goodReport.RowsRejected, good.GetProperty("rows").GetProperty("rejected").GetInt64());
        Assert.Equal((0L, 0L), (refused.GetProperty("rows").GetProperty("read").GetInt64(), refused.GetProperty("rows").GetProperty("kept").GetInt64()));
        Assert.Equal((300L, 300L), (poison.GetProperty("rows").GetProperty("read").GetInt64(), poison.GetProperty("rows").GetProperty("kept").GetInt64()));
        var poisonId = poison.GetProperty("datasetId").GetString()!;
        var detail = await stack.Web.GetFromJsonAsync<JsonElement>(new Uri($"/api/datasets/{poisonId}", UriKind.Relative));
        var failures = detail.GetProperty("timeline").EnumerateArray().Where(t => t.GetProperty("stage").GetString() == "training-failed").ToList();
        Assert.Equal(3, failures.Count);
        Assert.All(failures, f => Assert.Equal(OneClassError, f.GetProperty("error").GetString()));
        var refusedDetail = await stack.Web.GetFromJsonAsync<JsonElement>(new Uri($"/api/datasets/{refused.GetProperty("datasetId").GetString()}", UriKind.Relative));
        Assert.Equal(["tempo"], refusedDetail.GetProperty("preparation").GetProperty("missingColumns").EnumerateArray().Select(c => c.GetString()));

        // The page says the same, as a word and a colour.
        var html = await stack.Web.GetStringAsync(new Uri("/datasets", UriKind.Relative));
        foreach (var (id, state, tone) in new[] { (goodId, "promoted", "good"), (refused.GetProperty("datasetId").GetString()!, "refused", "bad"), (poisonId, "dead-lettered", "bad") })
        {
            var row = Regex.Match(html, $"<tr data-dataset=\"{id}\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
            Assert.Contains($"<span class=\"state tone-{tone}\" data-state=\"{state}\">", row, StringComparison.Ordinal);
        }

        Assert.Contains($"data-rows=\"kept\">{goodReport.RowsKept:N0}<", html, StringComparison.Ordinal);

        // The terminal of ./local.sh up prints the notifications AWS would send. The wiring polls on its own
        // clock, so the dead-letter line may follow the API's answer by a moment.
        var deadLetteredLine = $"event       ChartBuster: training failed on every attempt and the request was dead-lettered. Record {JourneyKeys.Record(poisonId, "dead-lettered")}";
        await Waiting.Until(
            () => Task.FromResult(stack.WiringLog.Contains(deadLetteredLine, StringComparison.Ordinal)),
            "the wiring to print the dead-letter notification", TimeSpan.FromSeconds(30));
        var log = stack.WiringLog;
        Assert.Contains($"event       ChartBuster: a song file was refused and will not train. Record {JourneyKeys.Record(refused.GetProperty("datasetId").GetString()!, "refused")}", log, StringComparison.Ordinal);
        Assert.Contains(deadLetteredLine, log, StringComparison.Ordinal);
        Assert.Contains($"event       ChartBuster: a new model was promoted and now serves predictions. Record {JourneyKeys.Record(goodId, "promoted")}", log, StringComparison.Ordinal);
        Assert.Contains($"training    dataset {poisonId}: training attempt 3 of 3 failed: {OneClassError}", log, StringComparison.Ordinal);

        await ScreenshotsAsync(goodId, poisonId);
    }

    /// <summary>The README's pictures of the datasets pages, from this run's real pipeline.</summary>
    private async Task ScreenshotsAsync(string datasetId, string deadLetteredId)
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
            await page.GotoAsync(new Uri(stack.Web.BaseAddress!, "/datasets").ToString());
            Assert.True(await page.IsVisibleAsync("#datasets"));
            Assert.Equal("rgb(220, 243, 225)", await page.EvalOnSelectorAsync<string>($"tr[data-dataset='{datasetId}'] .state", "e => getComputedStyle(e).backgroundColor"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.Screenshot("datasets.png"), FullPage = true });

            await page.ClickAsync($"tr[data-dataset='{datasetId}'] a[href='/datasets/{datasetId}']");
            Assert.Equal("dataset-of-80s.csv", (await page.TextContentAsync("h1"))?.Trim());
            Assert.True(await page.IsVisibleAsync("#timeline"));
            Assert.True(await page.IsVisibleAsync("#first-rejects"));
            Assert.Equal($"/Model#version-{stack.FirstModelVersion}", await page.GetAttributeAsync("#model-link", "href"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.Screenshot("dataset.png"), FullPage = true });

            await page.GotoAsync(new Uri(stack.Web.BaseAddress!, $"/datasets/{deadLetteredId}").ToString());
            Assert.Equal(4, await page.Locator("#timeline li.tone-bad, #timeline li.tone-warn").CountAsync()); // three failed attempts, the dead letter
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.Screenshot("dataset-dead-lettered.png"), FullPage = true });
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }
}

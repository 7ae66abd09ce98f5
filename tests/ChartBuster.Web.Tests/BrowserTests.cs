using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ChartBuster.Web.Tests;

/// <summary>
/// The site in a real browser at a laptop's and a phone's width (1280 and 390 px): the what-if flow, the paste box, a
/// real-song start, the error pages, the batch summary, and axe-core on every page in the light and dark schemes.
/// Screenshots of every page at both widths go to docs/screenshots (the README shows them).
/// </summary>
public sealed partial class BrowserTests(BrowserSite site) : IClassFixture<BrowserSite>
{
    private const string SpotifyTrack = """
        {"danceability":0.735,"energy":0.578,"key":1,"loudness":-11.84,"mode":0,"speechiness":0.0461,"acousticness":0.514,
         "instrumentalness":0.0902,"liveness":0.159,"valence":0.636,"tempo":98.002,"type":"audio_features","id":"06AKEBrKUckW0KREUWRnvT",
         "uri":"spotify:track:06AKEBrKUckW0KREUWRnvT","track_href":"https://api.spotify.com/v1/tracks/06AKEBrKUckW0KREUWRnvT",
         "analysis_url":"https://api.spotify.com/v1/audio-analysis/06AKEBrKUckW0KREUWRnvT","duration_ms":255349,"time_signature":4}
        """;

    private static string Shot(string name, string width) => Chromium.Screenshot($"{name}-{width}.png");

    private static Task<string> Text(IPage page, string selector) => page.Locator(selector).InnerTextAsync();

    /// <summary>True when the element is inside the viewport as the page is scrolled now.</summary>
    private static async Task<bool> InView(IPage page, string selector)
    {
        var box = await page.Locator(selector).BoundingBoxAsync();
        return box is not null && box.Y >= 0 && box.Y + box.Height <= page.ViewportSize!.Height;
    }

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task Moving_a_slider_rescores_the_song_and_its_reasons_in_place_and_keeps_the_score_in_view(string width)
    {
        var (page, problems) = await site.OpenAsync(width);
        await page.GotoAsync($"{site.Url}/?preset=hit-2010");
        var before = await Text(page, "#hit-probability");
        await page.EvaluateAsync("() => window.stillTheSamePage = true");

        await page.Locator("#valence + input[type=range]").FillAsync("0.05");
        await page.Locator("#acousticness + input[type=range]").FillAsync("0.9");
        await page.WaitForFunctionAsync("before => document.querySelector('#hit-probability')?.textContent !== before && !document.querySelector('#result').classList.contains('busy')", before);

        Assert.True(await page.EvaluateAsync<bool>("() => window.stillTheSamePage === true"));
        Assert.Equal("0.05", await page.InputValueAsync("#valence"));
        Assert.Matches("valence=0.05", page.Url);
        Assert.Matches("acousticness=0.9", page.Url);
        Assert.Matches("^[0-9.]+ %$", await Text(page, "#hit-probability"));
        Assert.Contains("0.05 vs", await Text(page, "#effects-body tr[data-input=valence]"), StringComparison.Ordinal);
        Assert.Matches("The effects add up to the gap", await Text(page, "#why-sum"));
        Assert.Equal(15, await page.Locator("svg.curve").CountAsync());
        Assert.Equal(page.Url, await page.Locator("#share-link").EvaluateAsync<string>("a => a.href"));

        await page.Locator("#sections").ScrollIntoViewIfNeededAsync();
        Assert.True(await InView(page, width == "phone" ? "#score-dock" : "#hit-probability"), "the score stays in view while the form scrolls");
        Assert.Equal(await Text(page, "#hit-probability"), width == "phone" ? await Text(page, "#score-dock .dock-probability") : await Text(page, "#hit-probability"));
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("predict", width), FullPage = true });
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task A_bad_value_is_marked_on_its_field_as_it_is_typed(string width)
    {
        var (page, problems) = await site.OpenAsync(width);
        await page.GotoAsync(site.Url);

        await page.FillAsync("#energy", "3");
        await page.WaitForFunctionAsync("() => document.querySelector('#energy-error').textContent.length > 0");

        Assert.Equal("energy must be from 0 to 1.", (await Text(page, "#energy-error")).Trim());
        Assert.Equal("true", await page.GetAttributeAsync("#energy", "aria-invalid"));
        Assert.Contains("energy-error", await page.GetAttributeAsync("#energy", "aria-describedby"), StringComparison.Ordinal);
        Assert.Equal("Fix the inputs marked in the form to get an answer.", await Text(page, "#result-placeholder"));
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task Pasting_spotifys_audio_features_fills_the_form_and_answers(string width)
    {
        var (page, problems) = await site.OpenAsync(width);
        await page.GotoAsync(site.Url);

        await page.ClickAsync("#paste-box summary");
        await page.FillAsync("#paste", SpotifyTrack);
        await page.SelectOptionAsync("#pasteDecade", "2000");
        await page.ClickAsync("#paste-box button[type=submit]");

        Assert.Equal("The pasted audio features.", await Text(page, "#loaded-from"));
        Assert.Equal("4:15.349", await page.InputValueAsync("#duration"));
        Assert.Equal("1", await page.InputValueAsync("#key"));
        Assert.Equal("2000", await page.InputValueAsync("#decade"));
        Assert.StartsWith("estimated:", await page.GetAttributeAsync("#sections", "placeholder"), StringComparison.Ordinal);
        Assert.Contains("Estimated from the length", await Text(page, "#imputed"), StringComparison.Ordinal);
        Assert.Matches("^[0-9.]+ %$", await Text(page, "#hit-probability"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("predict-pasted", width), FullPage = false });
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task Starts_from_a_real_song_found_as_you_type(string width)
    {
        var (page, problems) = await site.OpenAsync(width);
        await page.GotoAsync(site.Url);

        await page.Locator("#find").PressSequentiallyAsync("rolling in the");
        await page.Locator("#found a", new PageLocatorOptions { HasTextString = "Rolling In The Deep" }).First.ClickAsync();

        Assert.StartsWith("Rolling In The Deep by Adele (2010s, charted)", await Text(page, "#loaded-from"), StringComparison.Ordinal);
        Assert.Equal("2010", await page.InputValueAsync("#decade"));
        Assert.Equal(3, await page.Locator("#closest-list li").CountAsync());
        Assert.Matches("^[0-9.]+ %$", await Text(page, "#hit-probability"));
        Assert.Matches("Scores higher than [0-9]+ %", await Text(page, "#rank"));
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task Errors_on_pages_are_pages_that_say_what_to_do(string width)
    {
        var (page, _) = await site.OpenAsync(width);

        var missing = await page.GotoAsync($"{site.Url}/no-such-page");
        Assert.Equal(404, missing!.Status);
        Assert.Equal("Page not found", await Text(page, "#error-title"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("error-404", width), FullPage = true });

        await page.GotoAsync(site.Url);
        await page.ClickAsync("#paste-box summary");
        await page.FillAsync("#paste", SpotifyTrack);
        await page.EvaluateAsync("() => document.querySelectorAll('input[name=__RequestVerificationToken]').forEach(i => i.value = 'stale')");
        var expired = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#paste-box button[type=submit]"), r => r.Request.Method == "POST");
        await page.Locator("#error-title").WaitForAsync(); // the error document itself, not its load event (which a refused upload's reset can hold back)
        Assert.Equal(400, expired.Status);
        Assert.Equal("This form has expired", await Text(page, "#error-title"));

        await page.GotoAsync($"{site.Url}/Batch");
        var big = Path.Combine(Path.GetTempPath(), $"big-{Guid.NewGuid():N}.csv");
        await File.WriteAllBytesAsync(big, new byte[(4 << 20) + (100 << 10)]);
        await page.SetInputFilesAsync("#songs", big);
        var tooLarge = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#score-download"), r => r.Request.Method == "POST");
        await page.Locator("#error-title").WaitForAsync();
        File.Delete(big);
        Assert.Equal(413, tooLarge.Status);
        Assert.Equal("That is too large", await Text(page, "#error-title"));
        Assert.Equal("Back to Score a file", await Text(page, "a.button"));
    }

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task Summarises_a_batch_in_place_sorts_its_top_songs_and_downloads_the_same_file(string width)
    {
        var (page, problems) = await site.OpenAsync(width);
        await page.GotoAsync($"{site.Url}/Batch");

        await page.SetInputFilesAsync("#songs", RepositoryPaths.DecadeFiles()[1]);
        await page.ClickAsync("#score-summary");
        await page.Locator("#batch-summary").WaitForAsync();

        Assert.Matches("^[0-9,]+$", await Text(page, "#rows-scored"));
        Assert.Equal(25, await page.Locator("#top-songs tbody tr").CountAsync());
        await page.ClickAsync("#top-songs thead th:nth-child(2) button");
        Assert.Equal("descending", await page.GetAttributeAsync("#top-songs thead th:nth-child(2)", "aria-sort"));
        await page.ClickAsync("#top-songs thead th:nth-child(2) button");
        var tracks = await page.Locator("#top-songs tbody tr td:nth-child(2)").AllInnerTextsAsync();
        Assert.Equal("ascending", await page.GetAttributeAsync("#top-songs thead th:nth-child(2)", "aria-sort"));
        Assert.Equal(tracks.OrderBy(t => t.ToLowerInvariant(), StringComparer.Ordinal), tracks);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("batch", width), FullPage = true });

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#score-download"));
        Assert.StartsWith("scored-v-first", download.SuggestedFilename, StringComparison.Ordinal);
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task The_model_and_datasets_pages_fit_the_screen(string width)
    {
        var (page, problems) = await site.OpenAsync(width);
        foreach (var (path, name) in new[] { ("/Model", "model"), ("/datasets", "datasets"), ($"/datasets/{site.GoodDataset}", "dataset") })
        {
            await page.GotoAsync(site.Url + path);

            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow} px wider than the {width} screen");
            if (path == "/Model")
            {
                Assert.True(await page.Locator("#calibration-chart").IsVisibleAsync());
                Assert.True(await page.Locator("#grouping-comparison").IsVisibleAsync());
                Assert.True(await page.Locator("#per-decade").IsVisibleAsync());
                Assert.Contains("can and cannot tell you", await page.Locator("#can-and-cannot").TextContentAsync(), StringComparison.Ordinal);
            }

            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot(name, width), FullPage = true });
        }

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("desktop", ColorScheme.Light)]
    [InlineData("desktop", ColorScheme.Dark)]
    [InlineData("phone", ColorScheme.Light)]
    [InlineData("phone", ColorScheme.Dark)]
    public async Task Every_page_has_no_serious_or_critical_accessibility_violation(string width, ColorScheme scheme)
    {
        var (page, _) = await site.OpenAsync(width, scheme, bypassCsp: true); // axe is injected as an inline script
        var found = new List<string>();
        string[] paths = ["/", "/?preset=ballad-2010", "/?find=adele", "/?energy=3", "/Batch", "/Model", "/datasets",
            $"/datasets/{site.GoodDataset}", $"/datasets/{site.PoisonDataset}", "/no-such-page"];
        foreach (var path in paths)
        {
            await page.GotoAsync(site.Url + path);
            found.AddRange((await BrowserSite.SeriousAccessibilityViolations(page)).Select(v => $"{path}: {v}"));
        }

        await page.GotoAsync($"{site.Url}/Batch");
        await page.SetInputFilesAsync("#songs", RepositoryPaths.DecadeFiles()[0]);
        await page.ClickAsync("#score-summary");
        await page.Locator("#batch-summary").WaitForAsync();
        found.AddRange((await BrowserSite.SeriousAccessibilityViolations(page)).Select(v => $"/Batch summary: {v}"));

        await page.GotoAsync(site.Url);
        await page.Locator("#energy + input[type=range]").FillAsync("0.2");
        await page.WaitForFunctionAsync("() => !document.querySelector('#result').classList.contains('busy') && location.search.includes('energy=0.2')");
        found.AddRange((await BrowserSite.SeriousAccessibilityViolations(page)).Select(v => $"/ after a slider moved: {v}"));

        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    [Fact]
    public async Task The_accessibility_check_catches_what_it_should()
    {
        var (page, _) = await site.OpenAsync("desktop", bypassCsp: true);
        await page.SetContentAsync("<!DOCTYPE html><html lang=\"en\"><title>t</title><main><img src=\"x.png\"><input type=\"text\"></main></html>");

        var found = await BrowserSite.SeriousAccessibilityViolations(page);

        Assert.Contains(found, v => v.StartsWith("image-alt (critical)", StringComparison.Ordinal));
        Assert.Contains(found, v => v.StartsWith("label (critical)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Uses_the_dark_scheme_when_the_system_asks_for_it()
    {
        var (light, _) = await site.OpenAsync("desktop", ColorScheme.Light);
        var (dark, _) = await site.OpenAsync("desktop", ColorScheme.Dark);
        await light.GotoAsync(site.Url);
        await dark.GotoAsync(site.Url);

        const string background = "() => getComputedStyle(document.body).backgroundColor";
        Assert.Equal("rgb(246, 245, 242)", await light.EvaluateAsync<string>(background));
        Assert.Equal("rgb(18, 19, 20)", await dark.EvaluateAsync<string>(background));
        Assert.True(await dark.EvaluateAsync<double>("() => parseFloat(getComputedStyle(document.querySelector('#energy')).fontSize)") >= 16);
        Assert.True(await dark.EvaluateAsync<double>("() => document.querySelector('#energy').getBoundingClientRect().height") >= 44);
        await dark.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.Screenshot("predict-dark-desktop.png"), FullPage = false });
    }
}

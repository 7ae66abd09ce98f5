using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace ChartBuster.Web.Tests;

/// <summary>
/// The site in a real browser: Debian's Chromium driven by Playwright (never a downloaded browser), against
/// the web app running as its own process on a free loopback port. Screenshots go to docs/screenshots.
/// </summary>
public sealed class BrowserTests(TrainedModels models) : IClassFixture<TrainedModels>, IAsyncLifetime
{
    private Process? _site;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string _url = "";

    public async Task InitializeAsync()
    {
        var port = FreePort();
        _url = $"http://127.0.0.1:{port}";
        var contentRoot = Path.Combine(RepositoryPaths.Root, "webapp", "ChartBuster.Web");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ChartBuster.Web.dll"), "--urls", _url, "--contentRoot", contentRoot])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["CHARTBUSTER_MODEL_PATH"] = Path.Combine(models.First, "model.zip");
        _site = Process.Start(start)!;
        _site.OutputDataReceived += (_, _) => { };
        _site.ErrorDataReceived += (_, _) => { };
        _site.BeginOutputReadLine();
        _site.BeginErrorReadLine();
        using var http = new HttpClient();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetAsync($"{_url}/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    break;
                }
            }
            catch (HttpRequestException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
            }

            await Task.Delay(200);
        }

        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_site is { HasExited: false })
        {
            _site.Kill(entireProcessTree: true);
            await _site.WaitForExitAsync();
        }

        _site?.Dispose();
    }

    [Fact]
    public async Task A_producer_fills_the_form_and_reads_the_probability()
    {
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 1500 } });
        await page.GotoAsync(_url);

        await page.FillAsync("#energy", "0.85");
        await page.FillAsync("#danceability", "0.75");
        await page.SelectOptionAsync("#decade", "2010");
        await page.ClickAsync("button[type=submit]");
        var probability = await page.TextContentAsync("#hit-probability");

        Assert.Matches("^[0-9.]+ ?%$", probability?.Trim());
        Assert.Equal("rgb(250, 250, 250)", await page.EvalOnSelectorAsync<string>("body", "b => getComputedStyle(b).backgroundColor"));
        Assert.Contains("model v-first", await page.ContentAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.Screenshot("predict.png"), FullPage = true });
    }

    [Fact]
    public async Task A_bad_value_is_marked_on_its_field()
    {
        var page = await _browser!.NewPageAsync();
        await page.GotoAsync(_url);

        await page.FillAsync("#energy", "3");
        await page.ClickAsync("button[type=submit]");

        Assert.Equal("energy must be from 0 to 1.", (await page.TextContentAsync("[data-field=energy]"))?.Trim());
    }

    [Fact]
    public async Task Uploads_a_batch_and_gets_the_scored_file()
    {
        var page = await _browser!.NewPageAsync();
        await page.GotoAsync($"{_url}/Batch");
        await page.SetInputFilesAsync("input[type=file]", RepositoryPaths.DecadeFiles()[4]);

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("button[type=submit]"));
        var path = Path.Combine(Path.GetTempPath(), $"scored-{Guid.NewGuid():N}.csv");
        await download.SaveAsAsync(path);

        Assert.StartsWith("scored-v-first", download.SuggestedFilename, StringComparison.Ordinal);
        Assert.EndsWith("hit_probability,predicted_hit,reject_reason", File.ReadLines(path).First(), StringComparison.Ordinal);
        File.Delete(path);
    }

    [Fact]
    public async Task Opens_the_model_page_with_its_charts()
    {
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 1200 } });
        await page.GotoAsync($"{_url}/Model");

        Assert.Equal("v-first", (await page.TextContentAsync("#model-version"))?.Trim());
        Assert.True(await page.IsVisibleAsync("#roc-chart"));
        Assert.True(await page.IsVisibleAsync("#importance-chart"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.Screenshot("model.png"), FullPage = true });
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;

namespace ChartBuster.Web.Tests;

/// <summary>
/// The site as deployed, for the browser tests: the web app as its own process on a free loopback port, serving a real
/// model with its training reference and reading dataset journeys (a promoted, a refused and a dead-lettered upload)
/// from a bucket of the emulator; and Debian's Chromium driven by Playwright (never a downloaded browser).
/// </summary>
public sealed class BrowserSite : IAsyncLifetime, IDisposable
{
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private readonly TrainedModels _models = new();
    private readonly EmulatorFixture _emulator = new();
    private Process? _site;
    private IPlaywright? _playwright;

    public string Url { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    public string GoodDataset { get; private set; } = "";

    public string PoisonDataset { get; private set; } = "";

    public static ViewportSize Size(string width) => width == "phone" ? Phone : Desktop;

    public async Task InitializeAsync()
    {
        await _emulator.InitializeAsync();
        var seeder = new JourneySeeder(_emulator.S3, await _emulator.CreateBucketAsync("ready"));
        (GoodDataset, _, PoisonDataset, _) = await DatasetsTests.ThreeUploads(seeder);

        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        var contentRoot = Path.Combine(RepositoryPaths.Root, "webapp", "ChartBuster.Web");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ChartBuster.Web.dll"), "--urls", Url, "--contentRoot", contentRoot])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["CHARTBUSTER_MODEL_PATH"] = Path.Combine(_models.First, "model.zip");
        start.Environment["CHARTBUSTER_READY_BUCKET"] = seeder.Bucket;
        // Every browser test is the same client (loopback) doing many people's visits; the limits have their own tests.
        start.Environment["RateLimit__BatchPermitsPerMinute"] = "1000";
        start.Environment["RateLimit__BatchBurst"] = "1000";
        start.Environment["RateLimit__PageBurst"] = "1000";
        start.Environment["RateLimit__SongBurst"] = "1000000";
        foreach (var (name, value) in _emulator.Environment)
        {
            start.Environment[name] = value;
        }

        _site = Process.Start(start)!;
        _site.OutputDataReceived += (_, _) => { };
        _site.ErrorDataReceived += (_, _) => { };
        _site.BeginOutputReadLine();
        _site.BeginErrorReadLine();
        await Waiting.Until(async () =>
        {
            using var http = new HttpClient();
            try
            {
                return (await http.GetAsync($"{Url}/health/ready")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the site answers /health/ready", TimeSpan.FromSeconds(90));
        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    /// <summary>A page at a width, in the light or dark scheme; CSP violations and script errors are collected, never ignored.</summary>
    public async Task<(IPage Page, List<string> Problems)> OpenAsync(string width, ColorScheme scheme = ColorScheme.Light, bool bypassCsp = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = Size(width), ColorScheme = scheme, BypassCSP = bypassCsp, AcceptDownloads = true,
            IsMobile = width == "phone", HasTouch = width == "phone",
        });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("status of 4", StringComparison.Ordinal))
            {
                problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add(error);
        return (page, problems);
    }

    /// <summary>axe-core (npm, pinned in package.json) run on the page as it is: the violations rated serious or critical.</summary>
    public static async Task<List<string>> SeriousAccessibilityViolations(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = Path.Combine(RepositoryPaths.Root, "node_modules", "axe-core", "axe.min.js") });
        var violations = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations" +
            ".map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))");
        return [.. violations.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("help").GetString()} at {string.Join(", ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()))}")];
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_site is { HasExited: false })
        {
            _site.Kill(entireProcessTree: true);
            await _site.WaitForExitAsync();
        }

        _site?.Dispose();
        await _emulator.DisposeAsync();
    }

    public void Dispose() => _models.Dispose();

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}

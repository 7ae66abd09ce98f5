using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;

namespace ChartBuster.EndToEnd.Tests;

/// <summary>
/// `./local.sh up --detach` on free ports with its state in a temporary folder (the Release binaries ./test.sh built,
/// the quick training profile, no demo sample), then a real decade file uploaded through `./local.sh upload` and
/// trained into the first model; `./local.sh down` at the end.
/// </summary>
public class LocalStackFixture : IAsyncLifetime
{
    public const string RawBucket = "chartbuster-raw";
    public const string ReadyBucket = "chartbuster-ready";
    public const string ArtifactsBucket = "chartbuster-artifacts";

    private readonly string _state = Directory.CreateTempSubdirectory("chartbuster-local-").FullName;
    private readonly string[] _upArguments;
    private readonly int _emulatorPort = FreePort();
    private readonly int _webPort = FreePort();
    private readonly int _webMetricsPort = FreePort();
    private readonly int _workerMetricsPort = FreePort();

    public LocalStackFixture()
        : this([])
    {
    }

    /// <summary>A stack started with more arguments of `./local.sh up` (e.g. --containers).</summary>
    protected LocalStackFixture(string[] upArguments) => _upArguments = upArguments;

    public HttpClient Web { get; private set; } = null!;

    public IAmazonS3 S3 { get; private set; } = null!;

    public IAmazonSQS Sqs { get; private set; } = null!;

    public string FirstModelVersion { get; private set; } = "";

    public TimeSpan UpTime { get; private set; }

    public TimeSpan FirstModelTime { get; private set; }

    public string WiringLog => ReadLog("wiring");

    /// <summary>The Prometheus endpoints ./local.sh up gives the web app and the worker.</summary>
    public Uri WebMetrics => new($"http://localhost:{_webMetricsPort}/metrics");

    public Uri WorkerMetrics => new($"http://localhost:{_workerMetricsPort}/metrics");

    public string ReadLog(string part) => File.Exists(Path.Combine(_state, "logs", $"{part}.log"))
        ? ReadShared(Path.Combine(_state, "logs", $"{part}.log"))
        : "";

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        var (code, output) = await LocalSh(TimeSpan.FromMinutes(3), ["up", "--detach", .. _upArguments]);
        Assert.True(code == 0, $"./local.sh up failed ({code}):\n{output}\n{ReadLog("emulator")}\n{ReadLog("web")}");
        UpTime = clock.Elapsed;
        var credentials = new BasicAWSCredentials("local", "local");
        var endpoint = $"http://127.0.0.1:{_emulatorPort}";
        S3 = new AmazonS3Client(credentials, new AmazonS3Config { ServiceURL = endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        Sqs = new AmazonSQSClient(credentials, new AmazonSQSConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1" });
        Web = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_webPort}"), Timeout = TimeSpan.FromSeconds(30) };

        var decadeFile = RepositoryPaths.DecadeFiles().Single(f => f.EndsWith("-80s.csv", StringComparison.Ordinal));
        clock.Restart();
        await UploadAsync(decadeFile);
        FirstModelVersion = await WaitForNewModelAsync(previous: null, TimeSpan.FromMinutes(3));
        FirstModelTime = clock.Elapsed;
    }

    public async Task UploadAsync(string path)
    {
        var (code, output) = await LocalSh(TimeSpan.FromMinutes(1), "upload", path);
        Assert.True(code == 0, $"./local.sh upload failed ({code}): {output}");
    }

    public async Task<string?> ServingVersionAsync()
    {
        using var response = await Web.GetAsync(new Uri("/api/model", UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("modelVersion").GetString();
    }

    public async Task<string> WaitForNewModelAsync(string? previous, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await ServingVersionAsync() is { } version && version != previous)
            {
                return version;
            }

            Assert.True(clock.Elapsed < timeout, $"no new model after {timeout}:\n{WiringLog}\n{ReadLog("worker")[^Math.Min(4000, ReadLog("worker").Length)..]}");
            await Task.Delay(250);
        }
    }

    public virtual async Task DisposeAsync()
    {
        await LocalSh(TimeSpan.FromMinutes(1), "down");
        Web?.Dispose();
        S3?.Dispose();
        Sqs?.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    public async Task<(int Code, string Output)> LocalSh(TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryPaths.Root, "local.sh"), arguments)
        {
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.Environment["CHARTBUSTER_LOCAL_DIR"] = _state;
        start.Environment["CHARTBUSTER_EMULATOR_PORT"] = $"{_emulatorPort}";
        start.Environment["CHARTBUSTER_WEB_PORT"] = $"{_webPort}";
        start.Environment["CHARTBUSTER_WEB_METRICS_PORT"] = $"{_webMetricsPort}";
        start.Environment["CHARTBUSTER_WORKER_METRICS_PORT"] = $"{_workerMetricsPort}";
        start.Environment["CHARTBUSTER_LOCAL_BUILD"] = "0";
        start.Environment["CHARTBUSTER_LOCAL_SAMPLE"] = "0";
        start.Environment["CHARTBUSTER_TRAINING_PROFILE"] = "quick";
        start.Environment["Worker__WaitTimeSeconds"] = "1";
        start.Environment["Worker__RetryDelaySeconds"] = "0";
        start.Environment["ModelSource__PollSeconds"] = "0.5";
        var run = await CompletedProcess.RunAsync(start, timeout);
        return (run.ExitCode, run.Output + run.Error);
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

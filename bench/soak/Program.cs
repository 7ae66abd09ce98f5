using ChartBuster.Aws;
using System.Globalization;
using System.Text;
using Amazon.S3.Model;
using ChartBuster.Soak;
using ChartBuster.Testing;

// Soak under faults: a steady API load on the local stack for several minutes while models are promoted, a worker is
// killed mid-training, and the emulator (S3 + SQS) is stopped and restarted. Reports every answer by status, the web
// app's memory over time, and where every upload ended. Usage: run.sh [--minutes 6] [--rate 100] [--clients 200]
var minutes = Option("--minutes", 6);
var rate = Option("--rate", 100);
var clients = Option("--clients", 200);
var work = Path.Combine(RepositoryPaths.Root, "bench", "soak", "work", DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture));
Directory.CreateDirectory(work);
var events = new List<(TimeSpan At, string What)>();
var clock = System.Diagnostics.Stopwatch.StartNew();
void Note(string what)
{
    lock (events)
    {
        events.Add((clock.Elapsed, what));
    }

    Console.Error.WriteLine($"{clock.Elapsed:mm\\:ss}  {what}");
}

var decade = (string d) => RepositoryPaths.DecadeFiles().Single(f => f.EndsWith($"-{d}s.csv", StringComparison.Ordinal));
await using var stack = new LocalStack(work, Note);
await stack.StartAsync();
Note($"stack up: web on {stack.WebPort}, no model yet");
using var s3 = AwsClients.S3(name => stack.Environment.GetValueOrDefault(name), AwsCallPolicy.Tools());
using var sqs = AwsClients.Sqs(name => stack.Environment.GetValueOrDefault(name), AwsCallPolicy.Tools());
var ledger = new Ledger(s3, sqs);
var site = new Uri($"http://127.0.0.1:{stack.WebPort}");
using var load = new Load(site, rate, clients);
using var stopLoad = new CancellationTokenSource();
var batchFile = Encoding.UTF8.GetBytes(string.Join('\n', File.ReadLines(decade("90")).Take(301)) + "\n");
var loadRun = load.RunAsync(batchFile, stopLoad.Token);
var rss = new List<(TimeSpan At, long WebMb, long WorkerMb)>();
using var stopWatching = new CancellationTokenSource();
var watching = Task.Run(async () =>
{
    while (!stopWatching.IsCancellationRequested)
    {
        stack.Supervise();
        if ((int)clock.Elapsed.TotalSeconds % 5 == 0)
        {
            rss.Add((clock.Elapsed, Rss(stack.Web!.Id), stack.Worker is { HasExited: false } w ? Rss(w.Id) : 0));
        }

        await Task.Delay(1000);
    }
});

async Task UploadAsync(string what, string bucket, string key, byte[] content)
{
    await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(content) });
    ledger.Uploads.Add(new Upload(what, bucket, key));
    Note($"uploaded {what} → s3://{bucket}/{key}");
}

async Task<string?> ServingAsync()
{
    using var http = new HttpClient { BaseAddress = site };
    using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
    return response.IsSuccessStatusCode ? System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("modelVersion").GetString() : null;
}

async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
{
    var started = clock.Elapsed;
    while (!await condition())
    {
        if (clock.Elapsed - started > timeout)
        {
            Note($"gave up waiting for {what} after {timeout}");
            return;
        }

        await Task.Delay(500);
    }
}

await Task.Delay(TimeSpan.FromSeconds(10));
await UploadAsync("the 1980s decade file", "chartbuster-raw", "dataset-of-80s.csv", await File.ReadAllBytesAsync(decade("80")));
await WaitAsync(async () => await ServingAsync() is not null, "the first model", TimeSpan.FromMinutes(10));
var firstModelAt = clock.Elapsed;
Note($"first model served: {await ServingAsync()}");

await UploadAsync("the 1990s decade file", "chartbuster-raw", "dataset-of-90s.csv", await File.ReadAllBytesAsync(decade("90")));
await WaitAsync(() => Task.FromResult(stack.Worker!.Logged("training on dataset dataset-of-90s")), "the 1990s training to start", TimeSpan.FromMinutes(3));
await Task.Delay(TimeSpan.FromSeconds(3));
await stack.KillWorkerAsync();
Note("killed the worker (SIGKILL) in the middle of the 1990s training");

await Task.Delay(TimeSpan.FromSeconds(15));
await stack.StopEmulatorAsync();
Note("stopped the emulator: no S3, no SQS");
await Task.Delay(TimeSpan.FromSeconds(20));
await stack.RestartEmulatorAsync();
Note("restarted the emulator (objects kept, queues created again; the wiring re-announces untrained datasets)");

await UploadAsync("the 2000s decade file", "chartbuster-raw", "dataset-of-00s.csv", await File.ReadAllBytesAsync(decade("00")));
await UploadAsync("a file without a tempo column", "chartbuster-raw", "no-tempo.csv",
    Encoding.UTF8.GetBytes((await File.ReadAllTextAsync(decade("70"))).Replace(",tempo,", ",bpm,", StringComparison.Ordinal)));
await UploadAsync("a ready.csv that cannot train (poison)", "chartbuster-ready", "datasets/poison-1/ready.csv", "uri,danceability\nspotify:track:x,0.5\n"u8.ToArray());

await Task.Delay(TimeSpan.FromMinutes(minutes) - clock.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
Note($"load period over ({minutes} min); waiting for every upload to be accounted for");
Dictionary<Upload, string> outcomes = [];
await WaitAsync(async () => (outcomes = await ledger.AccountAsync(CancellationToken.None)).Values.All(o => o != Ledger.InFlight), "every upload to be accounted for", TimeSpan.FromMinutes(10));
await stopLoad.CancelAsync();
await loadRun;
await stopWatching.CancelAsync();
await watching;
Note($"done; serving {await ServingAsync()}");

stack.SaveLogs();
var report = Report.Write(minutes, rate, clients, events, load, firstModelAt, rss, stack.WorkerStarts, outcomes, stack.Web!.Count("checking for a new model failed"));
await File.WriteAllTextAsync(Path.Combine(work, "summary.md"), report);
Console.WriteLine(report);
return report.Contains("**FAILED**", StringComparison.Ordinal) ? 1 : 0;

static long Rss(int pid)
{
    try
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
    catch (IOException)
    {
        return 0;
    }
}

static int Option(string name, int fallback)
{
    var args = Environment.GetCommandLineArgs();
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

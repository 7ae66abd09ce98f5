using System.Net.Sockets;
using ChartBuster.Testing;

namespace ChartBuster.Soak;

/// <summary>
/// The local stack's four processes (emulator, notification wiring, training worker, web app) started and watched the
/// way ECS would: a worker or wiring that exits is started again. The emulator keeps its objects on disk across a
/// restart (its queues live in memory and are created again by the wiring's setup).
/// </summary>
internal sealed class LocalStack(string work, Action<string> note) : IAsyncDisposable
{
    private readonly int _emulatorPort = ServiceProcess.FreePort();
    private readonly List<(string Name, ServiceProcess Process)> _started = [];
    private bool _emulatorStopped;

    public int WebPort { get; } = ServiceProcess.FreePort();

    public ServiceProcess? Emulator { get; private set; }

    public ServiceProcess? Wiring { get; private set; }

    public ServiceProcess? Worker { get; private set; }

    public ServiceProcess? Web { get; private set; }

    public int WorkerStarts { get; private set; }

    public Dictionary<string, string> Environment => new()
    {
        ["AWS_ENDPOINT_URL"] = $"http://127.0.0.1:{_emulatorPort}",
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ACCESS_KEY_ID"] = "local",
        ["AWS_SECRET_ACCESS_KEY"] = "local",
        ["HOME"] = work,
        ["CHARTBUSTER_RAW_BUCKET"] = "chartbuster-raw",
        ["CHARTBUSTER_READY_BUCKET"] = "chartbuster-ready",
        ["CHARTBUSTER_ARTIFACTS_BUCKET"] = "chartbuster-artifacts",
        ["CHARTBUSTER_TRAINING_QUEUE_NAME"] = "chartbuster-training",
    };

    public string QueueUrl { get; private set; } = "";

    public async Task StartAsync()
    {
        await StartEmulatorAsync();
        StartWiring();
        StartWorker();
        var web = Environment;
        web["ModelSource__PollSeconds"] = "2";
        web["ForwardedHeaders__KnownNetworks__0"] = "127.0.0.0/8"; // the load driver plays the load balancer
        web["ASPNETCORE_URLS"] = $"http://127.0.0.1:{WebPort}";
        Web = Keep("web", ServiceProcess.Start(ServiceProcess.Program("webapp/ChartBuster.Web"), [], web));
        await Until(() => PortOpen(WebPort), "the web app", TimeSpan.FromSeconds(60));
    }

    public async Task StartEmulatorAsync()
    {
        var environment = new Dictionary<string, string>
        {
            ["FAUXQS_PORT"] = $"{_emulatorPort}",
            ["FAUXQS_S3_STORAGE_DIR"] = Path.Combine(work, "s3"),
        };
        Emulator = Keep("emulator", ServiceProcess.StartExecutable(
            Path.Combine(RepositoryPaths.Root, "node_modules", ".bin", "node"), ["--no-warnings", Path.Combine(RepositoryPaths.Root, "infra", "local", "emulator.mjs")], environment));
        await Until(() => PortOpen(_emulatorPort), "the emulator", TimeSpan.FromSeconds(30));
        await using var setup = ServiceProcess.Start(ServiceProcess.Program("infra/ChartBuster.LocalWiring"), ["setup"], Environment);
        await setup.WaitForExitAsync(TimeSpan.FromSeconds(60));
        QueueUrl = setup.Output.Split('\n').Single(l => l.StartsWith("CHARTBUSTER_TRAINING_QUEUE_URL=", StringComparison.Ordinal)).Split('=', 2)[1];
        _emulatorStopped = false;
    }

    /// <summary>SIGTERM to the emulator: S3 and SQS are gone until <see cref="RestartEmulatorAsync"/>.</summary>
    public async Task StopEmulatorAsync()
    {
        _emulatorStopped = true;
        await Emulator!.TerminateAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The emulator again on the same port and objects; the wiring restarted so it re-announces untrained datasets.</summary>
    public async Task RestartEmulatorAsync()
    {
        await StartEmulatorAsync();
        await Wiring!.KillAsync();
        StartWiring();
    }

    /// <summary>SIGKILL: the worker dies mid-work, as a task whose host fails; <see cref="Supervise"/> starts another.</summary>
    public Task KillWorkerAsync() => Worker!.KillAsync();

    /// <summary>What ECS does for a service: a task that exited is replaced (not while S3/SQS are deliberately down).</summary>
    public void Supervise()
    {
        if (_emulatorStopped)
        {
            return;
        }

        if (Worker is { HasExited: true })
        {
            note($"worker exited; starting another (start {WorkerStarts + 1})");
            StartWorker();
        }

        if (Wiring is { HasExited: true })
        {
            note("wiring exited; starting it again");
            StartWiring();
        }
    }

    /// <summary>Writes the output of every process started (each restart its own file) to the work folder.</summary>
    public void SaveLogs()
    {
        foreach (var (group, index) in _started.GroupBy(p => p.Name).SelectMany(g => g.Select((p, i) => (p, i))))
        {
            File.WriteAllText(Path.Combine(work, $"{group.Name}-{index + 1}.log"), group.Process.Output);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, process) in _started)
        {
            await process.DisposeAsync();
        }
    }

    private ServiceProcess Keep(string name, ServiceProcess process)
    {
        _started.Add((name, process));
        return process;
    }

    private void StartWiring() => Wiring = Keep("wiring", ServiceProcess.Start(
        ServiceProcess.Program("infra/ChartBuster.LocalWiring"),
        ["watch", "--state", Path.Combine(work, "wiring.json"), "--log", Path.Combine(work, "preprocess.log"), "--interval-ms", "500"],
        Environment));

    private void StartWorker()
    {
        var environment = Environment;
        environment["CHARTBUSTER_TRAINING_QUEUE_URL"] = QueueUrl;
        environment["Worker__RetryDelaySeconds"] = "5";
        Worker = Keep("worker", ServiceProcess.Start(ServiceProcess.Program("training/ChartBuster.Training"), ["worker"], environment));
        WorkerStarts++;
    }

    private static bool PortOpen(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task Until(Func<bool> condition, string what, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{what} did not start within {timeout}");
            }

            await Task.Delay(250);
        }
    }
}

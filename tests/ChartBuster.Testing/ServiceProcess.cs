using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ChartBuster.Testing;

/// <summary>
/// One of the repository's programs (the web app, the training worker) run as its own process from its Release
/// build, as a container runs it: with the environment given and, unless asked, nothing inherited from the test
/// but what the .NET host needs to start. Its output lines are kept for assertions.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    /// <summary>What a process needs from the machine to run dotnet at all; everything else comes from the caller.</summary>
    private static readonly string[] s_machine = ["PATH", "DOTNET_ROOT", "DOTNET_CLI_HOME", "TMPDIR", "LANG"];

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ServiceProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output => string.Join('\n', _lines);

    /// <summary>The built program of a project (e.g. "webapp/ChartBuster.Web"), in the configuration the tests were built in.</summary>
    public static string Program(string project)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var dll = Path.Combine(RepositoryPaths.Root, project, "bin", configuration, "net10.0", Path.GetFileName(project) + ".dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build the solution first (./test.sh does).");
    }

    /// <param name="inherit">Also pass on the test's own environment (the default passes only what the .NET host needs).</param>
    public static ServiceProcess Start(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, bool inherit = false) =>
        StartExecutable("dotnet", [dll, .. arguments], environment, inherit);

    /// <summary>Any program (the emulator's node), with the same environment rules as <see cref="Start"/>.</summary>
    public static ServiceProcess StartExecutable(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, bool inherit = false)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(executable, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (!inherit)
        {
            start.Environment.Clear();
            foreach (var name in s_machine)
            {
                if (System.Environment.GetEnvironmentVariable(name) is { } value)
                {
                    start.Environment[name] = value;
                }
            }
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new ServiceProcess(Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start."));
    }

    /// <summary>A loopback port free at the time of asking.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public bool Logged(string text) => _lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    public int Count(string text) => _lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>SIGTERM, as ECS stops a task, then the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        return await WaitForExitAsync(timeout);
    }

    /// <summary>SIGKILL: the process dies where it stands, as when a task's host fails.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}

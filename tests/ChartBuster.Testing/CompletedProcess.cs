using System.Diagnostics;

namespace ChartBuster.Testing;

/// <summary>A command run to its end (a script, a command line), with what it wrote to each stream.</summary>
public sealed record CompletedProcess(int ExitCode, string Output, string Error)
{
    public static async Task<CompletedProcess> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return new CompletedProcess(process.ExitCode, await output, await error);
    }
}

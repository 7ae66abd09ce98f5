using System.Diagnostics;
using Xunit;

namespace ChartBuster.Testing;

/// <summary>Waits for what another process does (a worker, the local stack), failing the test with what it waited for.</summary>
public static class Waiting
{
    public static async Task Until(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < timeout, $"timed out after {timeout} waiting for {what}");
            await Task.Delay(250);
        }
    }
}

using System.Text;
using ChartBuster.Preprocess.Runtime;

namespace ChartBuster.Preprocess.Tests;

public sealed class LambdaRuntimeLoopTests : IDisposable
{
    private readonly FakeRuntimeApi _api = new();
    private readonly StringWriter _logs = new();

    private LambdaRuntimeLoop Loop(Func<LambdaInvocation, CancellationToken, Task<byte[]>> handler) =>
        new(new LambdaRuntimeClient(_api.Client()), handler, new JsonLog(_logs, TimeProvider.System), TimeProvider.System);

    [Fact]
    public async Task Sends_the_handler_result_as_the_response()
    {
        _api.Enqueue("req-1", "in", DateTimeOffset.UtcNow.AddMinutes(1));
        var loop = Loop((invocation, _) => Task.FromResult(Encoding.UTF8.GetBytes($"echo {Encoding.UTF8.GetString(invocation.Payload)}")));

        await loop.ProcessNextAsync(CancellationToken.None);

        Assert.Equal(("/2018-06-01/runtime/invocation/req-1/response", "echo in"), (_api.Posts[0].Path, _api.Posts[0].Body));
    }

    [Fact]
    public async Task Reports_a_handler_failure_as_an_invocation_error_and_goes_on_with_the_next_event()
    {
        _api.Enqueue("req-1", "fail", DateTimeOffset.UtcNow.AddMinutes(1));
        _api.Enqueue("req-2", "ok", DateTimeOffset.UtcNow.AddMinutes(1));
        var loop = Loop((invocation, _) => Encoding.UTF8.GetString(invocation.Payload) == "fail"
            ? throw new IOException("S3 unavailable")
            : Task.FromResult("{}"u8.ToArray()));

        await loop.ProcessNextAsync(CancellationToken.None);
        await loop.ProcessNextAsync(CancellationToken.None);

        Assert.Equal(
            ["/2018-06-01/runtime/invocation/req-1/error", "/2018-06-01/runtime/invocation/req-2/response"],
            _api.Posts.Select(p => p.Path));
        Assert.Contains("\"requestId\":\"req-1\"", _logs.ToString(), StringComparison.Ordinal);
        Assert.Contains("S3 unavailable", _logs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancels_the_handler_before_the_invocation_deadline()
    {
        _api.Enqueue("req-1", "slow", DateTimeOffset.UtcNow + LambdaRuntimeLoop.DeadlineMargin + TimeSpan.FromMilliseconds(200));
        var loop = Loop(async (_, cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromMinutes(1), cancellationToken);
            return [];
        });

        await loop.ProcessNextAsync(CancellationToken.None);

        Assert.EndsWith("/error", _api.Posts.Single().Path, StringComparison.Ordinal);
        Assert.Contains("TaskCanceledException", _api.Posts.Single().Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Passes_the_trace_id_on_to_the_aws_sdk()
    {
        _api.Enqueue("req-1", "x", DateTimeOffset.UtcNow.AddMinutes(1), "Root=1-trace-me");
        string? seen = null;
        var loop = Loop((_, _) =>
        {
            seen = Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID");
            return Task.FromResult(Array.Empty<byte>());
        });

        await loop.ProcessNextAsync(CancellationToken.None);

        Assert.Equal("Root=1-trace-me", seen);
    }

    public void Dispose()
    {
        _api.Dispose();
        _logs.Dispose();
    }
}

using System.Net;
using ChartBuster.Training.Worker;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChartBuster.Training.Tests;

public class ScaleInProtectionTests
{
    [Fact]
    public async Task Protects_the_task_with_an_expiry_and_clears_the_protection_at_the_ECS_agent()
    {
        using var agent = new FakeEcsAgent();
        using var http = new HttpClient();
        var protection = new ScaleInProtection(http, agent.Uri, NullLogger<ScaleInProtection>.Instance);

        await protection.SetAsync(true, CancellationToken.None);
        await protection.SetAsync(false, CancellationToken.None);

        Assert.Equal(
            [
                "PUT /v4/task-id/task-protection/v1/state {\"ProtectionEnabled\":true,\"ExpiresInMinutes\":180}",
                "PUT /v4/task-id/task-protection/v1/state {\"ProtectionEnabled\":false}",
            ],
            agent.Requests);
    }

    [Fact]
    public async Task Does_nothing_outside_ECS()
    {
        using var http = new HttpClient(new RefusingHandler());
        var protection = new ScaleInProtection(http, agentUri: null, NullLogger<ScaleInProtection>.Instance);

        await protection.SetAsync(true, CancellationToken.None);

        Assert.False(protection.Enabled);
    }

    [Fact]
    public async Task A_refusing_or_missing_agent_is_logged_and_does_not_stop_the_training()
    {
        using var refusing = new FakeEcsAgent(HttpStatusCode.BadRequest);
        using var http = new HttpClient();
        var logger = new ListLogger();
        var gone = new Uri("http://127.0.0.1:1/v4/task-id/");

        await new ScaleInProtection(http, refusing.Uri, logger).SetAsync(true, CancellationToken.None);
        await new ScaleInProtection(http, gone, logger).SetAsync(true, CancellationToken.None);

        Assert.Single(refusing.Requests);
        Assert.Equal(2, logger.Warnings.Count);
        Assert.Contains("refused by the ECS agent: 400", logger.Warnings[0], StringComparison.Ordinal);
        Assert.Contains("unreachable", logger.Warnings[1], StringComparison.Ordinal);
    }

    private sealed class RefusingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("no request may be sent outside ECS");
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger<ScaleInProtection>
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == Microsoft.Extensions.Logging.LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }
}

namespace ChartBuster.Preprocess.Runtime;

/// <summary>
/// The custom runtime's loop: take the next event, run the handler under the invocation's deadline,
/// and report its response or its error. A failed invocation never stops the loop.
/// </summary>
public sealed class LambdaRuntimeLoop(
    LambdaRuntimeClient client,
    Func<LambdaInvocation, CancellationToken, Task<byte[]>> handler,
    JsonLog log,
    TimeProvider time)
{
    /// <summary>Time kept back from the deadline so the error can still be reported before Lambda kills us.</summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await ProcessNextAsync(cancellationToken);
        }
    }

    public async Task ProcessNextAsync(CancellationToken cancellationToken)
    {
        var invocation = await client.NextInvocationAsync(cancellationToken);
        Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", invocation.TraceId);
        using var scope = log.BeginRequest(invocation.RequestId);
        var remaining = invocation.Deadline - time.GetUtcNow() - DeadlineMargin;
        using var deadline = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        byte[] response;
        try
        {
            response = await handler(invocation, linked.Token);
        }
#pragma warning disable CA1031 // Every failure must reach the Runtime API, whatever its type, so Lambda can retry.
        catch (Exception e)
#pragma warning restore CA1031
        {
            log.Error("invocation failed", e, ("errorType", e.GetType().Name));
            await client.SendInvocationErrorAsync(invocation.RequestId, LambdaError.From(e), cancellationToken);
            return;
        }

        await client.SendResponseAsync(invocation.RequestId, response, cancellationToken);
    }
}

using Amazon.SQS;
using Amazon.SQS.Model;

namespace ChartBuster.Training.Worker;

/// <summary>Keeps one message invisible while it is being worked on, by extending its visibility periodically.</summary>
public sealed class VisibilityHeartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private bool _stopped;

    private VisibilityHeartbeat(IAmazonSQS sqs, string queueUrl, string receiptHandle, WorkerOptions options, TimeProvider time)
    {
        _loop = RunAsync(sqs, queueUrl, receiptHandle, options, time, _stop.Token);
    }

    public int Extensions { get; private set; }

    public static VisibilityHeartbeat Start(IAmazonSQS sqs, string queueUrl, string receiptHandle, WorkerOptions options, TimeProvider time) =>
        new(sqs, queueUrl, receiptHandle, options, time);

    /// <summary>Stops extending; safe to call more than once (the handler stops it before deleting the message).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopping is the normal end of a heartbeat.
        }

        _stop.Dispose();
    }

    private async Task RunAsync(IAmazonSQS sqs, string queueUrl, string receiptHandle, WorkerOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.HeartbeatSeconds), time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await sqs.ChangeMessageVisibilityAsync(new ChangeMessageVisibilityRequest
            {
                QueueUrl = queueUrl,
                ReceiptHandle = receiptHandle,
                VisibilityTimeout = options.VisibilityExtensionSeconds,
            }, cancellationToken);
            Extensions++;
        }
    }
}

using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChartBuster.Training.Worker;

/// <summary>
/// Long-polls the training queue and hands each message to <see cref="TrainingMessageHandler"/>. On
/// SIGTERM it stops taking work; a message in progress is finished (the ECS stop timeout is sized for it)
/// or, if the task is killed first, becomes visible again and is retried. A receive error stops the
/// process, so ECS replaces the task instead of the loop hiding the error. While a message is handled the
/// task is protected from scale-in (<see cref="ScaleInProtection"/>).
/// </summary>
public sealed partial class TrainingWorker(
    IAmazonSQS sqs,
    TrainingMessageHandler handler,
    ScaleInProtection protection,
    IOptions<WorkerOptions> options,
    ILogger<TrainingWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        LogStarted(settings.QueueUrl, settings.Profile);
        while (!stoppingToken.IsCancellationRequested)
        {
            ReceiveMessageResponse response;
            try
            {
                response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
                {
                    QueueUrl = settings.QueueUrl,
                    MaxNumberOfMessages = 1,
                    WaitTimeSeconds = settings.WaitTimeSeconds,
                    MessageSystemAttributeNames = ["ApproximateReceiveCount"],
                }, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            foreach (var message in response.Messages ?? [])
            {
                await protection.SetAsync(true, CancellationToken.None);
                try
                {
                    var outcome = await handler.HandleAsync(message, CancellationToken.None);
                    LogHandled(message.MessageId, outcome);
                }
                finally
                {
                    await protection.SetAsync(false, CancellationToken.None);
                }
            }
        }

        LogStopped();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "training worker polling {QueueUrl} (profile {Profile})")]
    private partial void LogStarted(string queueUrl, string profile);

    [LoggerMessage(Level = LogLevel.Information, Message = "message {MessageId}: {Outcome}")]
    private partial void LogHandled(string messageId, MessageOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "training worker stopped")]
    private partial void LogStopped();
}

using Amazon.SQS;
using Amazon.SQS.Model;
using ChartBuster.Training.Worker;
using Moq;

namespace ChartBuster.Training.Tests;

public class VisibilityHeartbeatTests
{
    [Fact]
    public async Task Extends_the_message_visibility_periodically_until_stopped()
    {
        var sqs = new Mock<IAmazonSQS>();
        var calls = new List<ChangeMessageVisibilityRequest>();
        sqs.Setup(s => s.ChangeMessageVisibilityAsync(It.IsAny<ChangeMessageVisibilityRequest>(), It.IsAny<CancellationToken>()))
            .Callback((ChangeMessageVisibilityRequest r, CancellationToken _) => { lock (calls) { calls.Add(r); } })
            .ReturnsAsync(new ChangeMessageVisibilityResponse());
        int Count()
        {
            lock (calls)
            {
                return calls.Count;
            }
        }

        var options = new WorkerOptions { QueueUrl = "q", ArtifactsBucket = "a", HeartbeatSeconds = 0.05, VisibilityExtensionSeconds = 120 };

        var heartbeat = VisibilityHeartbeat.Start(sqs.Object, "q", "receipt-1", options, TimeProvider.System);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Count() < 3 && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(20);
        }

        await heartbeat.DisposeAsync();
        var countAtStop = Count();
        await Task.Delay(300);

        Assert.True(countAtStop >= 3, $"{countAtStop} extensions");
        Assert.Equal(countAtStop, Count());
        Assert.All(calls, c => Assert.Equal(("q", "receipt-1", 120), (c.QueueUrl, c.ReceiptHandle, c.VisibilityTimeout)));
    }
}

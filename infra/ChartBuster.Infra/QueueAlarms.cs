using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace ChartBuster.Infra;

/// <summary>Alarms on queues that should stay empty (dead letters, failed events): the first message is worth a person's look.</summary>
public static class QueueAlarms
{
    public static Alarm OnFirstMessage(Construct scope, string id, Queue queue, string description)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return queue.MetricApproximateNumberOfMessagesVisible(new MetricOptions
        {
            Period = Duration.Minutes(5),
            Statistic = "Maximum",
        }).CreateAlarm(scope, id, new CreateAlarmOptions
        {
            AlarmDescription = description,
            Threshold = 1,
            EvaluationPeriods = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
    }
}

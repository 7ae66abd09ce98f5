using Amazon.CDK.AWS.Logs;
using Constructs;

namespace ChartBuster.Infra;

/// <summary>Each component's own log group: a month of logs, kept with the data unless removalPolicy=destroy.</summary>
public static class ComponentLogs
{
    public static LogGroup Create(Construct scope, StackSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new LogGroup(scope, "Logs", new LogGroupProps
        {
            Retention = RetentionDays.ONE_MONTH,
            RemovalPolicy = settings.DataRemovalPolicy,
        });
    }
}

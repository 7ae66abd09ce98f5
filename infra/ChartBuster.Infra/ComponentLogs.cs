using Amazon.CDK.AWS.Logs;
using Constructs;

namespace ChartBuster.Infra;

/// <summary>Each component's own log group: a year of logs (enough to look back on any model or dataset still kept), kept with the data unless removalPolicy=destroy.</summary>
public static class ComponentLogs
{
    public static LogGroup Create(Construct scope, StackSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var logs = new LogGroup(scope, "Logs", new LogGroupProps
        {
            Retention = RetentionDays.ONE_YEAR,
            RemovalPolicy = settings.DataRemovalPolicy,
        });
        LintFindings.Accept(logs, "cloudwatch_log_group_encrypted_check", "CloudWatch Logs encrypts every log group at rest already; a customer KMS key would add cost and a key policy for logs that hold no secrets.");
        return logs;
    }
}

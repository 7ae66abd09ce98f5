using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.SQS;
using ChartBuster.Songs.Telemetry;
using Constructs;

namespace ChartBuster.Infra;

/// <summary>
/// The graphs an operator opens first, in one CloudWatch dashboard: the site's requests, p99 latency and errors (its
/// load balancer's metrics) beside its own prediction counts and the serving model version; the training queue's depth
/// and age; the training outcomes and gate decisions; the function's errors and duration. The services' own metrics
/// (namespace <see cref="EmbeddedMetrics.Namespace"/>) come from the embedded-metric-format lines they write to their
/// log groups: no agent, no collector, no cloudwatch:PutMetricData grant.
/// </summary>
public sealed class OperationsDashboard : Construct
{
    private static readonly Duration s_period = Duration.Minutes(1);

    public OperationsDashboard(Construct scope, string id, IApplicationLoadBalancer site, IFunction preprocess, IQueue training, IQueue deadLetters)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(preprocess);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(deadLetters);
        var balancer = site.Metrics;
        Dashboard = new Dashboard(this, "Dashboard", new DashboardProps
        {
            DefaultInterval = Duration.Hours(3),
            Widgets =
            [
                [
                    Graph("Requests (site)", [balancer.RequestCount(Sum()), Search(MetricNames.Web.Predictions, ["outcome"], "Sum")]),
                    Graph("p99 latency (seconds)", [balancer.TargetResponseTime(Stat("p99")), Search(MetricNames.Web.PredictionDuration, ["kind"], "p99")]),
                    Graph("Errors (site)",
                    [
                        balancer.HttpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, Sum()),
                        balancer.HttpCodeElb(HttpCodeElb.ELB_5XX_COUNT, Sum()),
                        balancer.HttpCodeTarget(HttpCodeTarget.TARGET_4XX_COUNT, Sum()),
                        Search(MetricNames.Web.ModelLoads, ["outcome"], "Sum"),
                    ]),
                ],
                [
                    Graph("Serving model version (1 = serving)", [Search(MetricNames.Web.ServingModel, ["model_version"], "Maximum")]),
                    Graph("Training queue: depth and age of the oldest message (s)",
                    [
                        training.MetricApproximateNumberOfMessagesVisible(Stat("Maximum")),
                        deadLetters.MetricApproximateNumberOfMessagesVisible(Stat("Maximum")),
                    ],
                    [training.MetricApproximateAgeOfOldestMessage(Stat("Maximum"))]),
                    Graph("Training outcomes",
                    [
                        Search(MetricNames.Training.Datasets, ["outcome"], "Sum"),
                        Search(MetricNames.Training.GateDecisions, ["decision", "reason"], "Sum"),
                        Search(MetricNames.Training.Messages, ["outcome"], "Sum"),
                    ]),
                ],
                [
                    Graph("Preprocess function: errors and invocations", [preprocess.MetricErrors(Sum()), preprocess.MetricInvocations(Sum()), preprocess.MetricThrottles(Sum())], width: 6),
                    Graph("Preprocess function: duration (ms)", [preprocess.MetricDuration(Stat("p99")), preprocess.MetricDuration(Stat("Average"))], width: 6),
                    Graph("Datasets prepared and rows rejected", [Search(MetricNames.Preprocess.Datasets, ["outcome"], "Sum"), Search(MetricNames.Preprocess.RowsRejected, ["reason"], "Sum")], width: 6),
                    Graph("Training stage duration (s, max)", [Search(MetricNames.Training.StageDuration, ["stage", "candidate"], "Maximum")], width: 6),
                ],
            ],
        });
    }

    public Dashboard Dashboard { get; }

    private static MetricOptions Sum() => Stat("Sum");

    private static MetricOptions Stat(string statistic) => new() { Statistic = statistic, Period = s_period };

    /// <summary>Every series of one of the services' own metrics, one line per value of its dimension(s).</summary>
    private static MathExpression Search(string metric, string[] dimensions, string statistic) => new(new MathExpressionProps
    {
        Expression = $"SEARCH('{{{EmbeddedMetrics.Namespace},{EmbeddedMetrics.ServiceDimension},{string.Join(",", dimensions)}}} MetricName=\"{metric}\"', '{statistic}', 60)",
        UsingMetrics = new Dictionary<string, IMetric>(),
        Label = "",
        Period = s_period,
    });

    private static GraphWidget Graph(string title, IMetric[] left, IMetric[]? right = null, int width = 8) => new(new GraphWidgetProps
    {
        Title = title,
        Left = left,
        Right = right ?? [],
        Width = width,
        Height = 6,
    });
}

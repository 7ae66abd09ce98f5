using System.Text;
using System.Text.Json;
using ChartBuster.Songs.Pipeline;
using ChartBuster.Songs.Telemetry;

namespace ChartBuster.Infra.Tests;

/// <summary>The operations dashboard, and what the services' metrics need to reach CloudWatch (log streams, not metric grants).</summary>
[Collection(SharedTemplates.Name)]
public sealed class OperationsDashboardTests(SynthesizedTemplates templates)
{
    /// <summary>The dashboard's body as written, each reference to another resource as its JSON ({"Ref": …}) or as <paramref name="reference"/>.</summary>
    private string Body(string? reference = null)
    {
        var (_, dashboard) = templates.Default.One("AWS::CloudWatch::Dashboard");
        var body = dashboard.GetProperty("DashboardBody");
        if (body.ValueKind == JsonValueKind.String)
        {
            return body.GetString()!;
        }

        var text = new StringBuilder();
        foreach (var part in body.GetProperty("Fn::Join")[1].EnumerateArray())
        {
            text.Append(part.ValueKind == JsonValueKind.String ? part.GetString() : reference ?? part.GetRawText());
        }

        return text.ToString();
    }

    private List<JsonElement> Widgets() =>
        [.. JsonDocument.Parse(Body(reference: "resource")).RootElement.GetProperty("widgets").EnumerateArray()];

    [Fact]
    public void The_dashboard_has_the_graphs_an_operator_opens_first()
    {
        var body = Body();
        var titles = Widgets().Select(w => w.GetProperty("properties").GetProperty("title").GetString()).ToList();

        Assert.Equal(
            ["Requests (site)", "p99 latency (seconds)", "Errors (site)", "Serving model version (1 = serving)", "Training queue: depth and age of the oldest message (s)",
             "Training outcomes", "Preprocess function: errors and invocations", "Preprocess function: duration (ms)", "Datasets prepared and rows rejected", "Training stage duration (s, max)"],
            titles);
        foreach (var metric in new[]
        {
            "\"AWS/ApplicationELB\",\"RequestCount\"", "\"TargetResponseTime\"", "\"HTTPCode_Target_5XX_Count\"", "\"HTTPCode_ELB_5XX_Count\"",
            "\"ApproximateNumberOfMessagesVisible\"", "\"ApproximateAgeOfOldestMessage\"", "\"AWS/Lambda\",\"Errors\"", "\"AWS/Lambda\",\"Duration\"",
        })
        {
            Assert.Contains(metric, body, StringComparison.Ordinal);
        }

        Assert.Contains("\"stat\":\"p99\"", body, StringComparison.Ordinal);
        foreach (var metric in new[]
        {
            MetricNames.Web.Predictions, MetricNames.Web.PredictionDuration, MetricNames.Web.ModelLoads, MetricNames.Web.ServingModel,
            MetricNames.Training.Datasets, MetricNames.Training.GateDecisions, MetricNames.Training.Messages, MetricNames.Training.StageDuration,
            MetricNames.Preprocess.Datasets, MetricNames.Preprocess.RowsRejected,
        })
        {
            Assert.Contains($"SEARCH('{{ChartBuster,Service,", body, StringComparison.Ordinal);
            Assert.Contains($"MetricName=\\\"{metric}\\\"", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_dashboard_graphs_this_stacks_queue_function_and_load_balancer()
    {
        var body = Body();

        Assert.Contains(templates.Default.Id("AWS::SQS::Queue", "TrainingQueue"), body, StringComparison.Ordinal);
        Assert.Contains(templates.Default.Id("AWS::SQS::Queue", "TrainingDeadLetters"), body, StringComparison.Ordinal);
        Assert.Contains(templates.Default.Id("AWS::Lambda::Function", "PreprocessFunction"), body, StringComparison.Ordinal);
        Assert.Contains(templates.Default.Id("AWS::ElasticLoadBalancingV2::LoadBalancer", "SiteService"), body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_stack_outputs_the_dashboards_address()
    {
        var output = templates.Default.Json.GetProperty("Outputs").GetProperty("DashboardUrl");

        Assert.Contains("cloudwatch/home", output.GetProperty("Value").ToString(), StringComparison.Ordinal);
        Assert.Contains(templates.Default.Id("AWS::CloudWatch::Dashboard", "Operations"), output.GetProperty("Value").ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SiteService")]
    [InlineData("TrainingWorker")]
    public void The_site_and_the_worker_write_their_metrics_as_embedded_metric_format(string taskDefinition)
    {
        var (_, definition) = Assert.Single(templates.Default.Resources("AWS::ECS::TaskDefinition"), t => t.Id.StartsWith(taskDefinition, StringComparison.Ordinal));
        var container = Assert.Single(definition.GetProperty("ContainerDefinitions").EnumerateArray());
        var variables = container.GetProperty("Environment").EnumerateArray().ToDictionary(e => e.GetProperty("Name").GetString()!, e => e.GetProperty("Value").ToString());

        Assert.Equal("true", variables[PipelineVariables.EmbeddedMetrics]);
        Assert.False(variables.ContainsKey(PipelineVariables.MetricsPort), "no Prometheus endpoint is opened in AWS");
        Assert.Equal("awslogs", container.GetProperty("LogConfiguration").GetProperty("LogDriver").GetString());
    }

    [Theory]
    [InlineData("SiteServiceTaskDefExecutionRole")]
    [InlineData("TrainingWorkerQueueProcessingTaskDefExecutionRole")]
    [InlineData("PreprocessRole")]
    public void Each_service_may_write_its_log_stream_which_is_all_embedded_metrics_need(string role)
    {
        var actions = templates.Default.StatementsOf(role).SelectMany(s => s.Actions).ToHashSet();

        Assert.Contains("logs:CreateLogStream", actions);
        Assert.Contains("logs:PutLogEvents", actions);
    }

    [Fact]
    public void No_role_is_granted_put_metric_data()
    {
        Assert.DoesNotContain(templates.Default.Statements(), s => s.Actions.Any(a => a.StartsWith("cloudwatch:", StringComparison.Ordinal)));
    }
}

using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using ChartBuster.Infra.Notifications;
using ChartBuster.Infra.Preprocess;
using ChartBuster.Infra.Storage;
using ChartBuster.Infra.Training;
using ChartBuster.Infra.Web;
using Constructs;

namespace ChartBuster.Infra;

/// <summary>The whole pipeline of DESIGN.md in one stack.</summary>
public sealed class ChartBusterPipeline : Stack
{
    public ChartBusterPipeline(Construct scope, string id, StackSettings settings, IStackProps? props = null)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // Server access logs are delivered under a bucket policy (not the log-delivery ACL, which owner-enforced buckets
        // refuse): CDK's flag for new projects, set here so that every synthesis (cdk.json's or a test's) uses it.
        Node.SetContext("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);
        var buckets = new SongBuckets(this, "Buckets", settings);
        var preprocess = new PreprocessFunction(this, "Preprocess", buckets, settings);
        var placement = new TaskPlacement(this, "Network", settings);
        var cluster = new Cluster(this, "Cluster", new ClusterProps { Vpc = placement.Vpc, ContainerInsights = true });
        var training = new TrainingPipeline(this, "Training", buckets, cluster, placement, settings);
        var site = new PredictionSite(this, "Site", buckets, cluster, placement, settings);
        var notifications = new PipelineNotifications(this, "Notifications", buckets, [training.DeadLetterAlarm, preprocess.FailureAlarm], site.Url, settings);
        var dashboard = new OperationsDashboard(this, "Operations", site.Service.LoadBalancer, preprocess.Function, training.Queue, training.DeadLetters);

        placement.Vpc.AddFlowLog("FlowLogs", new FlowLogOptions
        {
            Destination = FlowLogDestination.ToS3(buckets.AccessLogs, "vpc-flow-logs/"),
            TrafficType = FlowLogTrafficType.ALL,
        });
        CdkInternals.AcceptLintFindings(this);

        Output("RawBucketName", buckets.Raw.BucketName, "Upload song CSVs here to retrain: aws s3 cp songs.csv s3://<this>/");
        Output("ReadyBucketName", buckets.Ready.BucketName, "Prepared datasets: datasets/{datasetId}/report.json, rejects.csv, ready.csv");
        Output("ArtifactsBucketName", buckets.Artifacts.BucketName, "Models: models/{version}/…, models/current.json");
        Output("TrainingQueueUrl", training.Queue.QueueUrl, "Training requests (S3 notifications of ready.csv)");
        Output("TrainingDeadLetterQueueUrl", training.DeadLetters.QueueUrl, "Training requests that failed 3 times");
        Output("PreprocessFailureQueueUrl", preprocess.Failures.QueueUrl, "Upload events the function failed on after its retries");
        Output("SiteUrl", site.Url, "The prediction site and API");
        Output("DashboardUrl", $"https://{Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region={Aws.REGION}#dashboards/dashboard/{dashboard.Dashboard.DashboardName}",
            "The operations dashboard: requests, p99 latency, errors, serving model, training queue, training outcomes, the function (README \"Operating it\")");
        Output("EventsTopicArn", notifications.Topic.TopicArn, "ChartBuster's events (refusals, promotions, gate rejections, dead letters, alarms): subscribe here, or deploy with -c notifyEmail=ADDRESS");
    }

    private void Output(string id, string value, string description) =>
        _ = new CfnOutput(this, id, new CfnOutputProps { Value = value, Description = description });
}

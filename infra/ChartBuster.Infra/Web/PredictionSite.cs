using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.ECS.Patterns;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using ChartBuster.Infra.Storage;
using Constructs;
using HealthCheck = Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck;
using Protocol = Amazon.CDK.AWS.ElasticLoadBalancingV2.ApplicationProtocol;

namespace ChartBuster.Infra.Web;

/// <summary>The Razor Pages site and JSON API: Fargate tasks behind a public Application Load Balancer.</summary>
public sealed class PredictionSite : Construct
{
    public PredictionSite(Construct scope, string id, SongBuckets buckets, ICluster cluster, TaskPlacement placement, StackSettings settings)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(settings);
        var certificate = settings.CertificateArn is { } arn ? Certificate.FromCertificateArn(this, "Certificate", arn) : null;
        Service = new ApplicationLoadBalancedFargateService(this, "Service", new ApplicationLoadBalancedFargateServiceProps
        {
            Cluster = cluster,
            Cpu = 512,
            MemoryLimitMiB = 1024,
            DesiredCount = 1,
            RuntimePlatform = ContainerImages.LinuxX64,
            AssignPublicIp = placement.AssignPublicIp,
            TaskSubnets = placement.Subnets,
            PublicLoadBalancer = true,
            Certificate = certificate,
            Protocol = certificate is null ? Protocol.HTTP : Protocol.HTTPS,
            RedirectHTTP = certificate is not null,
            SslPolicy = certificate is null ? null : SslPolicy.RECOMMENDED_TLS,
            CircuitBreaker = new DeploymentCircuitBreaker { Rollback = true },
            HealthCheckGracePeriod = Duration.Seconds(60),
            TaskImageOptions = new ApplicationLoadBalancedTaskImageOptions
            {
                Image = ContainerImages.Web(settings),
                ContainerPort = 8080,
                Environment = new Dictionary<string, string>
                {
                    ["CHARTBUSTER_ARTIFACTS_BUCKET"] = buckets.Artifacts.BucketName,
                },
                LogDriver = LogDrivers.AwsLogs(new AwsLogDriverProps
                {
                    StreamPrefix = "web",
                    LogGroup = ComponentLogs.Create(this, settings),
                }),
            },
        });

        // Ready, not live: a task without a model must not receive traffic.
        Service.TargetGroup.ConfigureHealthCheck(new HealthCheck
        {
            Path = "/health/ready",
            HealthyHttpCodes = "200",
            Interval = Duration.Seconds(15),
            HealthyThresholdCount = 2,
            UnhealthyThresholdCount = 3,
        });
        Service.LoadBalancer.SetAttribute("routing.http.drop_invalid_header_fields.enabled", "true");

        var scaling = Service.Service.AutoScaleTaskCount(new Amazon.CDK.AWS.ApplicationAutoScaling.EnableScalingProps { MinCapacity = 1, MaxCapacity = 4 });
        scaling.ScaleOnCpuUtilization("Cpu", new CpuUtilizationScalingProps { TargetUtilizationPercent = 60 });
        scaling.ScaleOnRequestCount("Requests", new RequestCountScalingProps { RequestsPerTarget = 3000, TargetGroup = Service.TargetGroup });

        buckets.Artifacts.GrantRead(Service.TaskDefinition.TaskRole);
    }

    public ApplicationLoadBalancedFargateService Service { get; }

    public string Url => $"{(Service.Certificate is null ? "http" : "https")}://{Service.LoadBalancer.LoadBalancerDnsName}";
}

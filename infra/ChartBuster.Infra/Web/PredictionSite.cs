using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.ECS.Patterns;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.S3;
using ChartBuster.Infra.Storage;
using ChartBuster.Songs;
using ChartBuster.Songs.Journeys;
using Constructs;
using HealthCheck = Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck;
using Protocol = Amazon.CDK.AWS.ElasticLoadBalancingV2.ApplicationProtocol;
using ChartBuster.Songs.Pipeline;

namespace ChartBuster.Infra.Web;

/// <summary>The Razor Pages site and JSON API: Fargate tasks behind a public Application Load Balancer.</summary>
public sealed class PredictionSite : Construct
{
    public const int MemoryMiB = 1024;

    /// <summary>Where the web app keeps its data-protection key ring (its DataProtection:KeyPrefix default).</summary>
    public const string KeyRingPrefix = "web/data-protection/";

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
            MemoryLimitMiB = MemoryMiB,
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
                    [PipelineVariables.ArtifactsBucket] = buckets.Artifacts.BucketName,
                    [PipelineVariables.ReadyBucket] = buckets.Ready.BucketName,
                    [PipelineVariables.EmbeddedMetrics] = "true", // metrics as EMF log lines: OperationsDashboard

                    // Connections from inside the VPC are the load balancer's: only then is X-Forwarded-For the client's address.
                    ["ForwardedHeaders__KnownNetworks__0"] = placement.Vpc.VpcCidrBlock,
                },
                LogDriver = LogDrivers.AwsLogs(new AwsLogDriverProps
                {
                    StreamPrefix = "web",
                    LogGroup = ComponentLogs.Create(this, settings),
                }),
            },
        });

        ServiceTasks.Harden(Service.TaskDefinition, MemoryMiB);

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

        // Models to serve; the data-protection key ring that all web tasks share (antiforgery across tasks), theirs alone.
        buckets.Artifacts.GrantRead(Service.TaskDefinition.TaskRole, StorageLayout.ModelsRoot + "*");
        buckets.Artifacts.GrantRead(Service.TaskDefinition.TaskRole, $"{KeyRingPrefix}*");
        buckets.Artifacts.GrantPut(Service.TaskDefinition.TaskRole, $"{KeyRingPrefix}*");
        GrantDatasetPages(buckets.Ready, Service.TaskDefinition.TaskRole);
        AcceptLintFindings(placement, certificate is not null);
    }

    private void AcceptLintFindings(TaskPlacement placement, bool https)
    {
        LintFindings.AcceptBucketGrants(Service.TaskDefinition.TaskRole);
        LintFindings.AcceptArtifactsPrefixGrants(Service.TaskDefinition.TaskRole, "The site reads the model registry (models/, any version) and reads and writes its data-protection key ring (web/data-protection/, keys named by ASP.NET at run time), and nothing else of the artifacts bucket.");
        LintFindings.AcceptReadyPrefixGrants(Service.TaskDefinition.TaskRole, "The datasets pages read any dataset's journey records, report.json and rejects.csv, and nothing else of the ready bucket.");
        LintFindings.AcceptImagePull(Service.TaskDefinition.ExecutionRole!);
        TaskPlacement.AcceptPublicAddresses(Service.Service, placement);
        var balancer = Service.LoadBalancer;
        LintFindings.Accept(balancer.Connections.SecurityGroups[0], "AwsSolutions-EC23", "The site is public: its load balancer admits the internet on its listener ports only (80, and 443 with a certificate); the tasks admit only the load balancer.");
        const string NoAccessLogs = "ALB access logs need the region's Elastic Load Balancing account in the log bucket's policy, which a region-agnostic stack cannot name; the site logs every request error in its own JSON logs and the ALB's metrics are in CloudWatch.";
        LintFindings.Accept(balancer, "AwsSolutions-ELB2", NoAccessLogs);
        LintFindings.Accept(balancer, "elbv2_logging_enabled_check", NoAccessLogs);
        LintFindings.Accept(balancer, "elbv2_deletion_protection_enabled_check", "The load balancer holds no data and the stack must stay destroyable (cdk destroy); deletion protection would block it.");
        if (!https)
        {
            LintFindings.Accept(Service.Listener, "alb_http_to_https_redirection_check", "No certificate was given (certificateArn), so the site has only HTTP; with one, HTTP answers a 301 to HTTPS.");
        }
    }

    public ApplicationLoadBalancedFargateService Service { get; }

    /// <summary>
    /// The datasets pages read the journey records and, per dataset, report.json and the head of rejects.csv; they list
    /// only the journeys prefix. Written as statements because a grant cannot narrow s3:ListBucket to a prefix: the
    /// site can read neither cleaned.csv nor ready.csv, and cannot see what else the bucket holds.
    /// </summary>
    private static void GrantDatasetPages(Bucket ready, IRole role)
    {
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["s3:GetObject"],
            Resources =
            [
                ready.ArnForObjects($"{JourneyKeys.Root}*"),
                ready.ArnForObjects($"{JourneyKeys.PreparedRoot}*/{DatasetFileNames.Report}"),
                ready.ArnForObjects($"{JourneyKeys.PreparedRoot}*/{DatasetFileNames.Rejects}"),
            ],
        }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["s3:ListBucket"],
            Resources = [ready.BucketArn],
            Conditions = new Dictionary<string, object>
            {
                ["StringLike"] = new Dictionary<string, object> { ["s3:prefix"] = new[] { $"{JourneyKeys.Root}*" } },
            },
        }));
    }

    public string Url => $"{(Service.Certificate is null ? "http" : "https")}://{Service.LoadBalancer.LoadBalancerDnsName}";
}

using Amazon.CDK;
using Amazon.CDK.AWS.ApplicationAutoScaling;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.ECS.Patterns;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.SQS;
using ChartBuster.Infra.Storage;
using ChartBuster.Songs.Journeys;
using Constructs;
using QueueTarget = Amazon.CDK.AWS.S3.Notifications.SqsDestination;
using ChartBuster.Songs.Pipeline;

namespace ChartBuster.Infra.Training;

/// <summary>ready.csv → training queue (+ dead letters) → a Fargate worker that exists only while there is work.</summary>
public sealed class TrainingPipeline : Construct
{
    /// <summary>
    /// The worker pushes a message's visibility 300 s ahead every 60 s while it trains (WorkerOptions), so the
    /// queue's own timeout only bounds how soon a message returns after a worker dies: 5 minutes.
    /// </summary>
    public static readonly Duration VisibilityTimeout = Duration.Minutes(5);

    public const int MaxReceiveCount = 3;

    /// <summary>ML.NET holds the dataset and every candidate's model in memory while it cross-validates.</summary>
    public const int MemoryMiB = 8192;

    public TrainingPipeline(Construct scope, string id, SongBuckets buckets, ICluster cluster, TaskPlacement placement, StackSettings settings)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(settings);

        // Dead letters are kept 14 days (SQS's maximum), longer than the 4 days of the source queue, so they outlive it.
        DeadLetters = new Queue(this, "DeadLetters", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            RetentionPeriod = Duration.Days(14),
        });
        Queue = new Queue(this, "Queue", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            VisibilityTimeout = VisibilityTimeout,
            RetentionPeriod = Duration.Days(4),
            DeadLetterQueue = new DeadLetterQueue { Queue = DeadLetters, MaxReceiveCount = MaxReceiveCount },
        });
        DeadLetterAlarm = QueueAlarms.OnFirstMessage(this, "DeadLetterAlarm", DeadLetters, "A training request failed 3 times and is parked in the dead-letter queue.");

        buckets.Ready.AddEventNotification(
            EventType.OBJECT_CREATED,
            new QueueTarget(Queue),
            new NotificationKeyFilter { Prefix = "datasets/", Suffix = "/ready.csv" });

        Service = new QueueProcessingFargateService(this, "Worker", new QueueProcessingFargateServiceProps
        {
            Cluster = cluster,
            Queue = Queue,
            Image = ContainerImages.Training(settings),
            Cpu = 2048,
            MemoryLimitMiB = MemoryMiB,
            RuntimePlatform = ContainerImages.LinuxX64,
            AssignPublicIp = placement.AssignPublicIp,
            TaskSubnets = placement.Subnets,
            Environment = new Dictionary<string, string>
            {
                [PipelineVariables.ReadyBucket] = buckets.Ready.BucketName,
                [PipelineVariables.ArtifactsBucket] = buckets.Artifacts.BucketName,
                [PipelineVariables.TrainingQueueUrl] = Queue.QueueUrl,
                [PipelineVariables.EmbeddedMetrics] = "true", // metrics as EMF log lines: OperationsDashboard

                // The attempt that reaches the redrive limit is the last: the worker records its failure as dead-lettered.
                ["Worker__MaxReceiveCount"] = $"{MaxReceiveCount}",

                // The worker refuses a dataset too large for this memory instead of being killed on every attempt.
                ["Worker__TaskMemoryMiB"] = $"{MemoryMiB}",
            },
            LogDriver = LogDrivers.AwsLogs(new AwsLogDriverProps
            {
                StreamPrefix = "training",
                LogGroup = ComponentLogs.Create(this, settings),
            }),

            // 0 tasks when idle, 1 as soon as one message is visible (the pattern's default steps start at 100).
            MinScalingCapacity = 0,
            MaxScalingCapacity = 1,
            ScalingSteps =
            [
                new ScalingInterval { Upper = 0, Change = -1 },
                new ScalingInterval { Lower = 1, Change = +1 },
            ],
            DisableCpuBasedScaling = true,
            CircuitBreaker = new DeploymentCircuitBreaker { Rollback = true },
        });

        ServiceTasks.Harden(Service.TaskDefinition, MemoryMiB);

        // The pattern leaves the desired count to CloudFormation's default (1 task) until the first scale-in.
        ((CfnService)Service.Service.Node.DefaultChild!).DesiredCount = 0;

        // SQS publishes queue metrics every minute; the pattern's 5-minute alarm period would add minutes to every start.
        foreach (var alarm in Service.Service.Node.FindAll().OfType<CfnAlarm>().Where(a => a.Node.Path.Contains("QueueMessagesVisibleScaling", StringComparison.Ordinal)))
        {
            alarm.Period = 60;
        }

        // While a message trains it is invisible, so the queue looks empty and the steps above would scale in:
        // the worker sets ECS task scale-in protection for the length of a training, through the agent endpoint.
        Service.TaskDefinition.TaskRole.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["ecs:UpdateTaskProtection", "ecs:GetTaskProtection"],
            Resources = [Stack.Of(this).FormatArn(new ArnComponents { Service = "ecs", Resource = "task", ResourceName = $"{cluster.ClusterName}/*" })],
        }));

        buckets.Ready.GrantRead(Service.TaskDefinition.TaskRole);
        buckets.Ready.GrantPut(Service.TaskDefinition.TaskRole, $"{JourneyKeys.Root}*");
        // The registry (models/, trained/) and nothing else of the bucket: not the web tasks' key ring.
        foreach (var prefix in (string[])[StorageLayout.ModelsRoot + "*", StorageLayout.TrainedRoot + "*"])
        {
            buckets.Artifacts.GrantRead(Service.TaskDefinition.TaskRole, prefix);
            buckets.Artifacts.GrantPut(Service.TaskDefinition.TaskRole, prefix);
        }

        LintFindings.AcceptBucketGrants(Service.TaskDefinition.TaskRole);
        LintFindings.AcceptReadyPrefixGrants(Service.TaskDefinition.TaskRole, "The worker writes its journey records, any dataset's, under journeys/ of the ready bucket and nowhere else there.");
        LintFindings.AcceptArtifactsPrefixGrants(Service.TaskDefinition.TaskRole, "The worker reads and writes the model registry (models/, any version) and its trained markers (trained/, any dataset), and nothing else of the artifacts bucket: not the web tasks' key ring.");
        LintFindings.Accept(LintFindings.PolicyOf(Service.TaskDefinition.TaskRole), "AwsSolutions-IAM5",
            "Scale-in protection is set on the worker's own task, whose id is known only at run time: the grant covers the tasks of this stack's cluster and nothing else.",
            @"/^Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task\/<Cluster[0-9A-F]{8}>\/\*$/g");
        LintFindings.AcceptImagePull(Service.TaskDefinition.ExecutionRole!);
        LintFindings.Accept(DeadLetters, "sqs_dlq_check", "This is the training queue's dead-letter queue; its messages stay 14 days for a person to read and redrive.");
        TaskPlacement.AcceptPublicAddresses(Service.Service, placement);
    }

    public Queue Queue { get; }

    public Queue DeadLetters { get; }

    public Alarm DeadLetterAlarm { get; }

    public QueueProcessingFargateService Service { get; }
}

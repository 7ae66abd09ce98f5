using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.SQS;
using ChartBuster.Infra.Storage;
using Constructs;
using FailureQueue = Amazon.CDK.AWS.Lambda.Destinations.SqsDestination;
using LambdaFunction = Amazon.CDK.AWS.Lambda.Function;
using NotifyFunction = Amazon.CDK.AWS.S3.Notifications.LambdaDestination;
using ChartBuster.Songs.Pipeline;

namespace ChartBuster.Infra.Preprocess;

/// <summary>The preprocess Lambda (Native AOT on provided.al2023), invoked by every .csv / .csv.gz landing in the raw bucket.</summary>
public sealed class PreprocessFunction : Construct
{
    /// <summary>
    /// 1,769 MB is where Lambda gives one full vCPU: the cleaner is a single-threaded stream (≈0.5 M rows/s measured
    /// on one core, 71 MB peak for 1 M rows), so more memory buys nothing and less slows the CPU down.
    /// </summary>
    public const int MemoryMb = 1769;

    /// <summary>Lambda's maximum; at the measured 80 MB/s one invocation covers files of many GB (S3 throughput bounds it first).</summary>
    public static readonly Duration Timeout = Duration.Minutes(15);

    /// <summary>Bounds how many uploads are cleaned at once (and so the writes into the ready bucket).</summary>
    public const int ReservedConcurrency = 5;

    /// <summary>
    /// The function's sources and nothing else: the asset's fingerprint (and so a Docker build and a code update at
    /// deploy) then changes only when the function, the song library or the AWS client library does.
    /// </summary>
    private static readonly string[] SourceExcludes =
        ["*", "!global.json", "!Directory.Build.props", "!Directory.Packages.props", "!.editorconfig", "!core", "core/*", "!core/ChartBuster.Songs", "!core/ChartBuster.Aws", "!core/ChartBuster.Cli", "!functions", "**/bin", "**/obj"];

    public PreprocessFunction(Construct scope, string id, SongBuckets buckets, StackSettings settings)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentNullException.ThrowIfNull(settings);
        var logs = ComponentLogs.Create(this, settings);

        // Events that failed every retry land here with their payload, instead of vanishing.
        Failures = new Queue(this, "Failures", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            RetentionPeriod = Duration.Days(14),
        });

        // The failure destination cannot notify by itself: an alarm at its first event does (its action is the events topic).
        FailureAlarm = QueueAlarms.OnFirstMessage(this, "FailureAlarm", Failures, "An upload failed preprocessing 3 times; its S3 event is in the function's failure queue.");

        // An explicit role instead of AWSLambdaBasicExecutionRole, whose log statements use "*".
        var role = new Role(this, "Role", new RoleProps { AssumedBy = new ServicePrincipal("lambda.amazonaws.com") });
        logs.GrantWrite(role);

        Function = new LambdaFunction(this, "Function", new FunctionProps
        {
            Runtime = Runtime.PROVIDED_AL2023,
            Architecture = Architecture.X86_64,
            Handler = "bootstrap",
            Code = Code(settings),
            MemorySize = MemoryMb,
            Timeout = Timeout,
            ReservedConcurrentExecutions = ReservedConcurrency,
            Role = role,
            LogGroup = logs,
            RetryAttempts = 2,
            MaxEventAge = Duration.Hours(6),
            OnFailure = new FailureQueue(Failures),
            Environment = new Dictionary<string, string>
            {
                [PipelineVariables.RawBucket] = buckets.Raw.BucketName,
                [PipelineVariables.ReadyBucket] = buckets.Ready.BucketName,
                [PipelineVariables.MaxRejectedShare] = "0.2",
            },
        });

        buckets.Raw.GrantRead(Function);

        // Read: a repeated event finds ready.csv / report.json and writes nothing. Put (never Write): no deletes.
        buckets.Ready.GrantRead(Function);
        buckets.Ready.GrantPut(Function);

        LintFindings.AcceptBucketGrants(role);
        LintFindings.Accept(Failures, "AwsSolutions-SQS3", "This queue is the function's on-failure destination: it is the dead-letter queue of the asynchronous invocations.");
        LintFindings.Accept(Failures, "sqs_dlq_check", "This queue is the function's on-failure destination: it is the dead-letter queue of the asynchronous invocations.");
        LintFindings.Accept(Function, "lambda_inside_vpc_check", "The function reads and writes S3 only, over TLS with its own role; a VPC would add NAT or endpoint costs and protect nothing it reaches.");

        // All ObjectCreated kinds, so a multipart upload (CompleteMultipartUpload) counts like a PUT.
        var destination = new NotifyFunction(Function);
        buckets.Raw.AddEventNotification(EventType.OBJECT_CREATED, destination, new NotificationKeyFilter { Suffix = ".csv" });
        buckets.Raw.AddEventNotification(EventType.OBJECT_CREATED, destination, new NotificationKeyFilter { Suffix = ".csv.gz" });
    }

    public LambdaFunction Function { get; }

    public Queue Failures { get; }

    public Alarm FailureAlarm { get; }

    private AssetCode Code(StackSettings settings)
    {
        if (settings.PreprocessBootstrap is { } prebuilt)
        {
            return Amazon.CDK.AWS.Lambda.Code.FromAsset(prebuilt);
        }

        // Checked before synthesis starts, so that a missing toolchain is one sentence, not a failure inside bundling.
        var bundling = Stack.Of(this).BundlingRequired;
        if (bundling && !settings.BuildPreprocessInDocker && HostBuild.MissingPrerequisite(System.Environment.GetEnvironmentVariable("PATH")) is { } missing)
        {
            throw new PrerequisiteMissingException(missing);
        }

        // DockerImage.FromBuild runs `docker build` when called, so only when the Docker build is asked for and this stack
        // is actually being bundled; otherwise the image is a name that is never run (the host build bundles locally).
        var image = bundling && settings.BuildPreprocessInDocker
            ? DockerImage.FromBuild(Path.Combine(settings.RepositoryRoot, "functions", "ChartBuster.Preprocess"), new DockerBuildOptions { File = "build.Dockerfile" })
            : DockerImage.FromRegistry("public.ecr.aws/amazonlinux/amazonlinux:2023");
        return Amazon.CDK.AWS.Lambda.Code.FromAsset(settings.RepositoryRoot, new Amazon.CDK.AWS.S3.Assets.AssetOptions
        {
            Exclude = SourceExcludes,
            IgnoreMode = IgnoreMode.DOCKER,
            Bundling = new BundlingOptions
            {
                Image = image,
                Local = settings.BuildPreprocessInDocker ? null : new HostBuild(settings.RepositoryRoot),
                Command = ["bash", "-c", $"dotnet {string.Join(' ', HostBuild.PublishArguments)} -o /tmp/publish && cp /tmp/publish/bootstrap /asset-output/"],
            },
        });
    }
}

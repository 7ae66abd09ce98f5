using Constructs;

namespace ChartBuster.Infra;

/// <summary>
/// What the engineer can choose at <c>cdk deploy</c> time, from CDK context (<c>-c name=value</c> or cdk.json).
/// Every default is the safe and cheap one.
/// </summary>
public sealed record StackSettings
{
    /// <summary>The repository root: sources of the function asset and of the two container images.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>"retain" (default: a stack deletion keeps the data) or "destroy" (empties and deletes the buckets).</summary>
    public string RemovalPolicy { get; init; } = "retain";

    /// <summary>An ACM certificate ARN: the site then answers HTTPS and redirects HTTP.</summary>
    public string? CertificateArn { get; init; }

    /// <summary>0 (default) runs tasks in public subnets with egress-only security groups; more buys private subnets behind NAT.</summary>
    public int NatGateways { get; init; }

    /// <summary>A directory holding a prebuilt Native AOT <c>bootstrap</c>; when absent, the function is built at synthesis.</summary>
    public string? PreprocessBootstrap { get; init; }

    /// <summary>An email address subscribed to the events topic (refusals, promotions, gate rejections, dead letters, alarms).</summary>
    public string? NotifyEmail { get; init; }

    /// <summary>"host" (default: `dotnet publish` on this machine, no Docker) or "docker" (built on Amazon Linux 2023 in Docker).</summary>
    public string PreprocessBuild { get; init; } = "host";

    public bool BuildPreprocessInDocker => PreprocessBuild == "docker";

    public int RawRetentionDays { get; init; } = 90;

    public int ReadyRetentionDays { get; init; } = 180;

    public bool DestroyData => string.Equals(RemovalPolicy, "destroy", StringComparison.OrdinalIgnoreCase);

    /// <summary>What a stack deletion does to buckets and log groups.</summary>
    public Amazon.CDK.RemovalPolicy DataRemovalPolicy => DestroyData ? Amazon.CDK.RemovalPolicy.DESTROY : Amazon.CDK.RemovalPolicy.RETAIN;

    public static StackSettings FromContext(Construct scope, string repositoryRoot)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var settings = new StackSettings
        {
            RepositoryRoot = repositoryRoot,
            RemovalPolicy = Text(scope, "removalPolicy") ?? "retain",
            CertificateArn = Text(scope, "certificateArn"),
            NatGateways = Number(scope, "natGateways") ?? 0,
            PreprocessBootstrap = Text(scope, "preprocessBootstrap"),
            NotifyEmail = Text(scope, "notifyEmail"),
            PreprocessBuild = Text(scope, "preprocessBuild") ?? "host",
            RawRetentionDays = Number(scope, "rawRetentionDays") ?? 90,
            ReadyRetentionDays = Number(scope, "readyRetentionDays") ?? 180,
        };
        settings.Validate();
        return settings;
    }

    public void Validate()
    {
        if (RemovalPolicy is not ("retain" or "destroy"))
        {
            throw new ArgumentException($"Context removalPolicy must be 'retain' or 'destroy', not '{RemovalPolicy}'.");
        }

        if (PreprocessBuild is not ("host" or "docker"))
        {
            throw new ArgumentException($"Context preprocessBuild must be 'host' or 'docker', not '{PreprocessBuild}'.");
        }

        if (NatGateways is < 0 or > 3)
        {
            throw new ArgumentException($"Context natGateways must be 0..3, not {NatGateways}.");
        }

        if (RawRetentionDays < 1 || ReadyRetentionDays < 1)
        {
            throw new ArgumentException("Context rawRetentionDays and readyRetentionDays must be at least 1 day.");
        }

        if (NotifyEmail is not null && !System.Text.RegularExpressions.Regex.IsMatch(NotifyEmail, "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"))
        {
            throw new ArgumentException($"Context notifyEmail must be an email address, not '{NotifyEmail}'.");
        }

        if (PreprocessBootstrap is not null && !File.Exists(Path.Combine(PreprocessBootstrap, "bootstrap")))
        {
            throw new ArgumentException($"Context preprocessBootstrap '{PreprocessBootstrap}' holds no 'bootstrap' file.");
        }
    }

    private static string? Text(Construct scope, string key) =>
        scope.Node.TryGetContext(key)?.ToString() is { Length: > 0 } value ? value : null;

    private static int? Number(Construct scope, string key) =>
        Text(scope, key) is { } value
            ? int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new ArgumentException($"Context {key} must be a whole number, not '{value}'.")
            : null;
}

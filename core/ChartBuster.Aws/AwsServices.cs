using Amazon.S3;
using Amazon.SQS;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChartBuster.Aws;

/// <summary>
/// How a hosted service (the web app, the training worker) gets its AWS clients: its call policy bound from the
/// "AwsCalls" section over the service's defaults and validated at start, so a mistyped override stops the service
/// instead of silently retrying forever or never.
/// </summary>
public static class AwsServices
{
    public const string Section = "AwsCalls";

    /// <summary>
    /// Registers the policy and one S3 and one SQS client made from it (singletons, built on first use: a service that
    /// never calls SQS never makes that client).
    /// </summary>
    public static IServiceCollection AddAwsClients(this IServiceCollection services, IConfiguration config, Action<AwsCallPolicy> defaults)
    {
        ArgumentNullException.ThrowIfNull(config);
        services.AddOptions<AwsCallPolicy>().Configure(defaults).BindConfiguration(Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AwsCallPolicy>, AwsCallPolicyValidator>();
        services.AddSingleton<IAmazonS3>(sp => AwsClients.S3(name => config[name], sp.GetRequiredService<IOptions<AwsCallPolicy>>().Value));
        services.AddSingleton<IAmazonSQS>(sp => AwsClients.Sqs(name => config[name], sp.GetRequiredService<IOptions<AwsCallPolicy>>().Value));
        return services;
    }
}

/// <summary>The policy's ranges checked by generated code (no reflection: this library is also in the AOT function).</summary>
[OptionsValidator]
internal sealed partial class AwsCallPolicyValidator : IValidateOptions<AwsCallPolicy>;

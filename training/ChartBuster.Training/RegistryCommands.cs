using System.CommandLine;
using System.Globalization;
using ChartBuster.Aws;
using ChartBuster.Cli;
using ChartBuster.Model.Registry;
using ChartBuster.Songs.Pipeline;

namespace ChartBuster.Training;

/// <summary>
/// <c>history</c>: every model version with its gate outcome. <c>rollback --to VERSION</c>: points the web
/// app back at an earlier version (only models/current.json changes). Both use CHARTBUSTER_ARTIFACTS_BUCKET.
/// </summary>
internal static class RegistryCommands
{
    public static Command History(Func<string, string?> variable)
    {
        var command = new Command("history", $"List every model version with its quality-gate outcome; * marks the one serving ({PipelineVariables.ArtifactsBucket}).");
        command.SetAction((parsed, cancellationToken) => WithRegistryAsync(parsed, variable, (registry, output) => ListAsync(registry, output, cancellationToken)));
        return command;
    }

    public static Command Rollback(Func<string, string?> variable)
    {
        var to = new Option<string>("--to") { Description = "The version to serve again (as history lists it).", Required = true, HelpName = "VERSION" };
        var command = new Command("rollback", $"Point the web app back at an earlier model version; only models/current.json changes ({PipelineVariables.ArtifactsBucket}).") { to };
        command.SetAction((parsed, cancellationToken) => WithRegistryAsync(parsed, variable, (registry, output) => RollBackAsync(registry, parsed.GetRequiredValue(to), output, parsed.InvocationConfiguration.Error, cancellationToken)));
        return command;
    }

    private static async Task<int> WithRegistryAsync(ParseResult parsed, Func<string, string?> variable, Func<ModelRegistry, TextWriter, Task<int>> run)
    {
        var bucket = variable(PipelineVariables.ArtifactsBucket);
        if (string.IsNullOrWhiteSpace(bucket))
        {
            await parsed.InvocationConfiguration.Error.WriteLineAsync($"{PipelineVariables.ArtifactsBucket} is not set.");
            return ExitCodes.Usage;
        }

        using var s3 = AwsClients.S3(variable, AwsCallPolicy.Tools());
        return await run(new ModelRegistry(s3, bucket), parsed.InvocationConfiguration.Output);
    }

    private static async Task<int> RollBackAsync(ModelRegistry registry, string version, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var pointer = await registry.RollBackAsync(version, cancellationToken);
            await output.WriteLineAsync($"now serving {pointer.ModelVersion} ({pointer.Reason})");
            return ExitCodes.Ok;
        }
        catch (InvalidOperationException e)
        {
            await error.WriteLineAsync(e.Message);
            return ExitCodes.Failed;
        }
    }

    private static async Task<int> ListAsync(ModelRegistry registry, TextWriter output, CancellationToken cancellationToken)
    {
        var current = await registry.CurrentAsync(cancellationToken);
        foreach (var card in await registry.HistoryAsync(cancellationToken))
        {
            var serving = card.ModelVersion == current?.ModelVersion ? " *serving*" : "";
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{card.ModelVersion}  {card.Status,-9} AUC {card.ValidationAuc:F4}  {card.DatasetId}  {card.StatusReason}{serving}"));
        }

        return ExitCodes.Ok;
    }
}

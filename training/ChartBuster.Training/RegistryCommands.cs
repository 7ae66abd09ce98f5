using ChartBuster.Aws;
using ChartBuster.Model.Registry;
using System.Globalization;
using ChartBuster.Training.Promotion;
using ChartBuster.Songs.Pipeline;

namespace ChartBuster.Training;

/// <summary>
/// <c>history</c>: every model version with its gate outcome. <c>rollback --to VERSION</c>: points the web
/// app back at an earlier version (only models/current.json changes). Both use CHARTBUSTER_ARTIFACTS_BUCKET.
/// </summary>
internal static class RegistryCommands
{
    public static Task<int> RunAsync(string command, CommandLine args, TextWriter output, TextWriter error) =>
        RunAsync(command, args, output, error, Environment.GetEnvironmentVariable);

    public static async Task<int> RunAsync(string command, CommandLine args, TextWriter output, TextWriter error, Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(error);
        var bucket = variable(PipelineVariables.ArtifactsBucket);
        if (string.IsNullOrWhiteSpace(bucket))
        {
            await error.WriteLineAsync($"{PipelineVariables.ArtifactsBucket} is not set.");
            return ExitCodes.Usage;
        }

        using var s3 = AwsClients.S3(variable, AwsCallPolicy.Tools());
        var registry = new ModelRegistry(s3, bucket);
        if (command == "rollback")
        {
            if (args.Value("--to") is not { } version)
            {
                await error.WriteLineAsync("usage: rollback --to VERSION");
                return ExitCodes.Usage;
            }

            try
            {
                var pointer = await registry.RollBackAsync(version, CancellationToken.None);
                await output.WriteLineAsync($"now serving {pointer.ModelVersion} ({pointer.Reason})");
                return ExitCodes.Ok;
            }
            catch (InvalidOperationException e)
            {
                await error.WriteLineAsync(e.Message);
                return ExitCodes.Failed;
            }
        }

        var current = await registry.CurrentAsync(CancellationToken.None);
        foreach (var card in await registry.HistoryAsync(CancellationToken.None))
        {
            var serving = card.ModelVersion == current?.ModelVersion ? " *serving*" : "";
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{card.ModelVersion}  {card.Status,-9} AUC {card.ValidationAuc:F4}  {card.DatasetId}  {card.StatusReason}{serving}"));
        }

        return ExitCodes.Ok;
    }
}

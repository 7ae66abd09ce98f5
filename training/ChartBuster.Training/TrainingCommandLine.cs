using System.CommandLine;
using ChartBuster.Cli;

namespace ChartBuster.Training;

/// <summary>The training app's commands: train, score, worker, history, rollback (README, "Train and score on your machine").</summary>
internal static class TrainingCommandLine
{
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, Func<string, string?> variable) =>
        CommandLineRunner.InvokeAsync(Root(variable), args, output, error, CancellationToken.None);

    private static RootCommand Root(Func<string, string?> variable) =>
        new("ChartBuster training: train and score models on local files, run the queue worker, list and roll back model versions.")
        {
            TrainCommand.Create(),
            ScoreCommand.Create(),
            WorkerCommand.Create(),
            RegistryCommands.History(variable),
            RegistryCommands.Rollback(variable),
        };
}

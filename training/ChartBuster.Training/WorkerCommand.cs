using System.CommandLine;
using ChartBuster.Cli;
using ChartBuster.Training.Worker;
using Microsoft.Extensions.Hosting;

namespace ChartBuster.Training;

/// <summary><c>worker</c>: the queue consumer the ECS service runs; configured by environment variables only.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var command = new Command("worker", "Consume the training queue: train each ready dataset, register the model, promote it if it passes the quality gate (CHARTBUSTER_TRAINING_QUEUE_URL, CHARTBUSTER_ARTIFACTS_BUCKET).");
        command.SetAction(async (_, _) =>
        {
            // The host owns SIGTERM (a training in flight finishes within the task's stop timeout), not the parser.
            var builder = Host.CreateApplicationBuilder();
            builder.AddTrainingWorker();
            await builder.Build().RunAsync(CancellationToken.None);
            return ExitCodes.Ok;
        });
        return command;
    }
}
